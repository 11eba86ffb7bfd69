using MathNet.Numerics.LinearAlgebra;

namespace LatencyGate.Numerics;

/// <summary>Cross-validated error of ridge fits, the criterion every strategy uses to choose its λ.</summary>
internal static class RidgeCv
{
    /// <summary>
    /// Picks (λ, option) with the lowest cross-validated MAE over the grid and refits on all rows.
    /// <paramref name="penalty"/> gives the penalty vector of (λ, option); fewer than 3 rows skip the
    /// search and use the last λ with option 0.
    /// </summary>
    public static (double[] Beta, double Lambda, int Option, double Error) SelectAndFit(
        double[][] x, double[] y, int[] folds, IReadOnlyList<double> lambdas, int options, Func<double, int, double[]> penalty, double[]? prior,
        Func<double[][], double[], double[], double[]?, double[]>? solve = null)
    {
        var best = (Lambda: lambdas[^1], Option: 0, Error: double.NaN);
        var grams = solve is null && FoldGrams.Suits(x) ? new FoldGrams(x, y, folds) : null;
        solve ??= (tx, ty, pen, pr) => LinearSolve.Ridge(tx, ty, pen, pr);
        if (y.Length >= 3)
        {
            best.Error = double.PositiveInfinity;
            for (var option = 0; option < options; option++)
            {
                foreach (var lambda in lambdas)
                {
                    var pen = penalty(lambda, option);
                    var error = grams is not null
                        ? grams.Error(pen, prior)
                        : Error(x, y, folds, (tx, ty) => solve(tx, ty, pen, prior));
                    if (error < best.Error)
                    {
                        best = (lambda, option, error);
                    }
                }
            }
        }

        var final = penalty(best.Lambda, best.Option);
        var beta = grams is not null ? grams.SolveAll(final, prior) : solve(x, y, final, prior);
        return (beta, best.Lambda, best.Option, best.Error);
    }

    /// <summary>
    /// Mean absolute out-of-fold error of the fits <paramref name="fit"/> makes (ridge with a penalty
    /// toward a prior). With at least as many rows as columns the per-fold Gram matrices are
    /// computed once per call site through <see cref="FoldGrams"/>; otherwise each fold is solved in
    /// its dual form.
    /// </summary>
    public static double Error(double[][] x, double[] y, int[] folds, Func<double[][], double[], double[]> fit)
    {
        var errors = OutOfFoldErrors(x, y, folds, fit);
        var total = 0.0;
        // Summed fold by fold, the order the errors were once accumulated in, so every λ choice is bit-identical.
        for (var f = 0; f <= folds.Max(); f++)
        {
            for (var i = 0; i < y.Length; i++)
            {
                if (folds[i] == f)
                {
                    total += errors[i];
                }
            }
        }

        return total / y.Length;
    }

    /// <summary>Each row's absolute error from the fit made without its fold.</summary>
    public static double[] OutOfFoldErrors(double[][] x, double[] y, int[] folds, Func<double[][], double[], double[]> fit)
    {
        var errors = new double[y.Length];
        var foldCount = folds.Max() + 1;
        for (var f = 0; f < foldCount; f++)
        {
            var trainX = new List<double[]>();
            var trainY = new List<double>();
            for (var i = 0; i < y.Length; i++)
            {
                if (folds[i] != f)
                {
                    trainX.Add(x[i]);
                    trainY.Add(y[i]);
                }
            }

            var beta = fit(trainX.ToArray(), trainY.ToArray());
            for (var i = 0; i < y.Length; i++)
            {
                if (folds[i] == f)
                {
                    errors[i] = Math.Abs(FixedOrder.Dot(x[i], beta) - y[i]);
                }
            }
        }

        return errors;
    }
}

/// <summary>
/// Gram matrices of every fold's held-out rows, so a training fold's normal equations are the total
/// minus one fold: one pass over the data serves every λ of a grid (many rows, up to a few hundred columns).
/// </summary>
internal sealed class FoldGrams
{
    private readonly double[][] _x;
    private readonly double[] _y;
    private readonly int[] _folds;
    private readonly Matrix<double> _gram;
    private readonly Vector<double> _rhs;
    private readonly Matrix<double>[] _foldGram;
    private readonly Vector<double>[] _foldRhs;

    public FoldGrams(double[][] x, double[] y, int[] folds)
    {
        _x = x;
        _y = y;
        _folds = folds;
        var p = x[0].Length;
        var count = folds.Max() + 1;
        _foldGram = new Matrix<double>[count];
        _foldRhs = new Vector<double>[count];
        _gram = Matrix<double>.Build.Dense(p, p);
        _rhs = Vector<double>.Build.Dense(p);
        for (var f = 0; f < count; f++)
        {
            var rows = Enumerable.Range(0, y.Length).Where(i => folds[i] == f).ToArray();
            _foldGram[f] = Matrix<double>.Build.Dense(p, p);
            _foldRhs[f] = Vector<double>.Build.Dense(p);
            LinearSolve.Accumulate(rows.Select(i => x[i]).ToArray(), rows.Select(i => y[i]).ToArray(), null, _foldGram[f], _foldRhs[f]);
            _gram.Add(_foldGram[f], _gram);
            _rhs.Add(_foldRhs[f], _rhs);
        }
    }

    public static bool Suits(double[][] x) => x.Length > 0 && x.Length >= x[0].Length;

    public double Error(double[] penalty, double[]? prior)
    {
        var total = 0.0;
        for (var f = 0; f < _foldGram.Length; f++)
        {
            var beta = Solve(_gram - _foldGram[f], _rhs - _foldRhs[f], penalty, prior);
            for (var i = 0; i < _y.Length; i++)
            {
                if (_folds[i] == f)
                {
                    total += Math.Abs(FixedOrder.Dot(_x[i], beta) - _y[i]);
                }
            }
        }

        return total / _y.Length;
    }

    public double[] SolveAll(double[] penalty, double[]? prior) => Solve(_gram, _rhs, penalty, prior);

    private static double[] Solve(Matrix<double> gram, Vector<double> rhs, double[] penalty, double[]? prior) =>
        LinearSolve.SolvePenalized(gram.Clone(), rhs.Clone(), penalty, prior);
}
