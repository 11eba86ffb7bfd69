using MathNet.Numerics.LinearAlgebra;

namespace LatencyGate.Numerics;

/// <summary>
/// Ridge regression with a per-column penalty factor and the penalty strength chosen by exact
/// leave-one-out error (closed form through one eigendecomposition: of XᵀX when rows outnumber
/// columns, of XXᵀ otherwise, so a 20-shot fit on 100 features costs a 20×20 problem).
/// A penalty factor near 0 leaves a column (the intercept, a proxy prior) almost unpenalized.
/// </summary>
internal sealed class LeaveOneOutRidge
{
    /// <summary>Candidate strengths, relative to the mean diagonal of the Gram matrix.</summary>
    public static readonly IReadOnlyList<double> DefaultLambdaGrid =
        [1e-6, 3e-6, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3, 10, 30, 100];

    private const double InterceptScale = 1e3;

    private readonly double[] _weights;
    private readonly double[] _columnScale;

    private LeaveOneOutRidge(double[] weights, double[] columnScale, double lambda, double looMse)
    {
        _weights = weights;
        _columnScale = columnScale;
        Lambda = lambda;
        LooMse = looMse;
    }

    public double Lambda { get; }

    public double LooMse { get; }

    /// <summary>The fitted weight of each input column (the intercept excluded), in the inputs' own units.</summary>
    public double[] Coefficients => [.. _weights[..^1].Select((w, j) => w * _columnScale[j])];

    /// <summary>The fitted intercept.</summary>
    public double Intercept => _weights[^1] * _columnScale[^1];

    /// <summary>
    /// Fits y ≈ b + Σ wⱼ xⱼ minimizing Σ residual² + λ Σ penaltyⱼ wⱼ² with λ from <paramref name="lambdaGrid"/>
    /// by leave-one-out mean squared error. <paramref name="penalty"/> defaults to 1 per column.
    /// </summary>
    public static LeaveOneOutRidge Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> y, IReadOnlyList<double>? penalty = null, IReadOnlyList<double>? lambdaGrid = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var n = x.Count;
        if (n == 0 || n != y.Count)
        {
            throw new ArgumentException("x and y must have the same, non-zero number of rows.", nameof(y));
        }

        var p = x[0].Length;
        var scale = new double[p + 1];
        for (var j = 0; j < p; j++)
        {
            var f = penalty is null ? 1.0 : penalty[j];
            scale[j] = 1.0 / Math.Sqrt(Math.Max(f, 1e-12));
        }

        scale[p] = InterceptScale;
        var z = Matrix<double>.Build.Dense(n, p + 1, (i, j) => (j < p ? x[i][j] : 1.0) * scale[j]);
        var yv = Vector<double>.Build.DenseOfEnumerable(y);
        Matrix<double> q;
        Vector<double> eig;
        Matrix<double>? v = null;
        if (n > p + 1)
        {
            var evd = (z.TransposeThisAndMultiply(z)).Evd(Symmetricity.Symmetric);
            v = evd.EigenVectors;
            eig = evd.EigenValues.Map(c => Math.Max(c.Real, 0));
            q = z * v;
        }
        else
        {
            var evd = (z.TransposeAndMultiply(z)).Evd(Symmetricity.Symmetric);
            eig = evd.EigenValues.Map(c => Math.Max(c.Real, 0));
            q = evd.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalArray(eig.Map(Math.Sqrt).ToArray());
        }

        var qty = q.TransposeThisAndMultiply(yv);
        double gramScale = 0;
        for (var j = 0; j < p; j++)
        {
            for (var i = 0; i < n; i++)
            {
                gramScale += z[i, j] * z[i, j];
            }
        }

        gramScale = Math.Max(gramScale / Math.Max(p, 1), 1e-12);
        var grid = lambdaGrid ?? DefaultLambdaGrid;
        var bestLambda = grid[0] * gramScale;
        var bestMse = double.PositiveInfinity;
        foreach (var rel in grid)
        {
            var lambda = rel * gramScale;
            var mse = 0.0;
            for (var i = 0; i < n; i++)
            {
                double fitted = 0, leverage = 0;
                for (var k = 0; k < eig.Count; k++)
                {
                    var qik = q[i, k];
                    var inv = 1.0 / (eig[k] + lambda);
                    fitted += qik * qty[k] * inv;
                    leverage += qik * qik * inv;
                }

                var r = (yv[i] - fitted) / Math.Max(1 - leverage, 1e-9);
                mse += r * r;
            }

            mse /= n;

            if (mse < bestMse - (1e-12 * Math.Abs(mse)))
            {
                bestMse = mse;
                bestLambda = lambda;
            }
        }

        Vector<double> w;
        var shrink = Vector<double>.Build.Dense(eig.Count, k => 1.0 / (eig[k] + bestLambda));
        if (v is not null)
        {
            w = v * qty.PointwiseMultiply(shrink);
        }
        else
        {
            // Dual form: w = Zᵀ U diag(1/(d+λ)) Uᵀ y, where Q = U diag(√d).
            var evd = z.TransposeAndMultiply(z).Evd(Symmetricity.Symmetric);
            var u = evd.EigenVectors;
            var uty = u.TransposeThisAndMultiply(yv);
            var d = evd.EigenValues.Map(c => Math.Max(c.Real, 0));
            var alpha = u * Vector<double>.Build.Dense(d.Count, k => uty[k] / (d[k] + bestLambda));
            w = z.TransposeThisAndMultiply(alpha);
        }

        return new LeaveOneOutRidge(w.ToArray(), scale, bestLambda, bestMse);
    }

    public double Predict(ReadOnlySpan<double> x)
    {
        var sum = _weights[^1] * _columnScale[^1];
        for (var j = 0; j < x.Length; j++)
        {
            sum += _weights[j] * _columnScale[j] * x[j];
        }

        return sum;
    }
}
