using MathNet.Numerics.LinearAlgebra;

namespace LatencyGate.Numerics;

/// <summary>Small dense least-squares problems (tens to a few hundred unknowns), in double precision.</summary>
internal static class LinearSolve
{
    /// <summary>
    /// Generalized ridge: minimizes Σ wᵢ(yᵢ − xᵢ·β)² + Σⱼ λⱼ(βⱼ − priorⱼ)². A zero λⱼ leaves βⱼ free.
    /// Solved through the normal equations with a tiny jitter so a rank-deficient design still gives
    /// the minimum-change solution.
    /// </summary>
    public static double[] Ridge(double[][] x, double[] y, double[] penalty, double[]? prior = null, double[]? weights = null)
    {
        var p = penalty.Length;
        if (weights is null && x.Length < p)
        {
            return RidgeDual(x, y, penalty, prior);
        }

        var gram = Matrix<double>.Build.Dense(p, p);
        var rhs = Vector<double>.Build.Dense(p);
        Accumulate(x, y, weights, gram, rhs);
        return SolvePenalized(gram, rhs, penalty, prior);
    }

    /// <summary>
    /// Solves (G + diag(penalty + jitter)) β = r + (penalty + jitter) ⊙ prior from normal equations
    /// G, r (overwritten), the jitter a tiny share of G's mean diagonal so a rank-deficient design
    /// still gives the minimum-change solution.
    /// </summary>
    internal static double[] SolvePenalized(Matrix<double> gram, Vector<double> rhs, double[] penalty, double[]? prior)
    {
        var p = penalty.Length;
        var trace = 0.0;
        for (var j = 0; j < p; j++)
        {
            trace += gram[j, j];
        }

        var jitter = 1e-10 * Math.Max(trace / p, 1e-12);
        for (var j = 0; j < p; j++)
        {
            gram[j, j] += penalty[j] + jitter;
            rhs[j] += (penalty[j] + jitter) * (prior?[j] ?? 0);
        }

        return gram.Cholesky().Solve(rhs).ToArray();
    }

    /// <summary>
    /// The same problem in its n × n dual form, for fewer rows than unknowns (few-shot fits of wide
    /// models). With penalized columns X (penalty D) and free columns Z, K = X D⁻¹ Xᵀ + I,
    /// γ = (Zᵀ K⁻¹ Z)⁻¹ Zᵀ K⁻¹ r and β = prior + D⁻¹ Xᵀ K⁻¹ (r − Zγ), r = y − X·prior: the free columns
    /// are solved exactly rather than with a tiny penalty, which would swamp K's conditioning.
    /// </summary>
    private static double[] RidgeDual(double[][] x, double[] y, double[] penalty, double[]? prior)
    {
        var n = x.Length;
        var p = penalty.Length;
        var free = Enumerable.Range(0, p).Where(c => penalty[c] <= 0).ToArray();
        var k = Matrix<double>.Build.Dense(n, n);
        var residual = Vector<double>.Build.Dense(n);
        for (var i = 0; i < n; i++)
        {
            var r = y[i];
            for (var c = 0; c < p; c++)
            {
                if (penalty[c] > 0 && prior is not null)
                {
                    r -= x[i][c] * prior[c];
                }
            }

            residual[i] = r;
            for (var j = i; j < n; j++)
            {
                var s = 0.0;
                for (var c = 0; c < p; c++)
                {
                    if (penalty[c] > 0)
                    {
                        s += x[i][c] * x[j][c] / penalty[c];
                    }
                }

                k[i, j] = s;
                k[j, i] = s;
            }

            k[i, i] += 1;
        }

        var cholesky = k.Cholesky();
        var beta = new double[p];
        var target = residual;
        if (free.Length > 0)
        {
            var z = Matrix<double>.Build.Dense(n, free.Length, (i, f) => x[i][free[f]]);
            var kz = cholesky.Solve(z);
            var zkz = z.TransposeThisAndMultiply(kz);
            for (var f = 0; f < free.Length; f++)
            {
                zkz[f, f] += 1e-12 * Math.Max(zkz[f, f], 1e-300);
            }

            var gamma = zkz.Solve(kz.TransposeThisAndMultiply(residual));
            for (var f = 0; f < free.Length; f++)
            {
                beta[free[f]] = gamma[f];
            }

            target = residual - (z * gamma);
        }

        var alpha = cholesky.Solve(target);
        for (var c = 0; c < p; c++)
        {
            if (penalty[c] <= 0)
            {
                continue;
            }

            var s = 0.0;
            for (var i = 0; i < n; i++)
            {
                s += x[i][c] * alpha[i];
            }

            beta[c] = (prior?[c] ?? 0) + (s / penalty[c]);
        }

        return beta;
    }

    /// <summary>Xᵀ W X and Xᵀ W y.</summary>
    public static void Accumulate(double[][] x, double[] y, double[]? weights, Matrix<double> gram, Vector<double> rhs)
    {
        var p = rhs.Count;
        var g = new double[p * p];
        var r = new double[p];
        for (var i = 0; i < x.Length; i++)
        {
            var w = weights?[i] ?? 1.0;
            if (w == 0)
            {
                continue;
            }

            var row = x[i];
            for (var a = 0; a < p; a++)
            {
                var va = row[a] * w;
                if (va == 0)
                {
                    continue;
                }

                r[a] += va * y[i];
                var off = a * p;
                for (var b = a; b < p; b++)
                {
                    g[off + b] += va * row[b];
                }
            }
        }

        for (var a = 0; a < p; a++)
        {
            rhs[a] = r[a];
            for (var b = a; b < p; b++)
            {
                gram[a, b] = g[(a * p) + b];
                gram[b, a] = g[(a * p) + b];
            }
        }
    }

    /// <summary>
    /// Non-negative ridge: minimizes ‖y − Xβ‖² + Σ λⱼ(βⱼ − priorⱼ)² subject to βⱼ ≥ 0 for every j with
    /// <paramref name="nonNegative"/>[j], by cyclic coordinate descent on the normal equations
    /// (bounded sweeps; converges for a positive-definite Gram).
    /// </summary>
    public static double[] NonNegativeRidge(double[][] x, double[] y, double[] penalty, bool[] nonNegative, double[]? prior = null, int maxSweeps = 2000, double tolerance = 1e-10)
    {
        var p = penalty.Length;
        var gram = Matrix<double>.Build.Dense(p, p);
        var rhs = Vector<double>.Build.Dense(p);
        Accumulate(x, y, null, gram, rhs);
        var g = gram.ToArray();
        for (var j = 0; j < p; j++)
        {
            g[j, j] += penalty[j] + (1e-9 * Math.Max(g[j, j], 1e-12));
            rhs[j] += penalty[j] * (prior?[j] ?? 0);
        }

        // Warm start from the unconstrained solution clipped to the constraints.
        var beta = new double[p];
        try
        {
            var start = Matrix<double>.Build.DenseOfArray(g).Cholesky().Solve(rhs).ToArray();
            for (var j = 0; j < p; j++)
            {
                beta[j] = nonNegative[j] ? Math.Max(0, start[j]) : start[j];
            }
        }
        catch (ArgumentException)
        {
            // Not positive definite: start at zero.
        }

        var gradient = new double[p];
        for (var a = 0; a < p; a++)
        {
            var s = -rhs[a];
            for (var b = 0; b < p; b++)
            {
                s += g[a, b] * beta[b];
            }

            gradient[a] = s;
        }

        for (var sweep = 0; sweep < maxSweeps; sweep++)
        {
            var maxChange = 0.0;
            var scale = 0.0;
            for (var j = 0; j < p; j++)
            {
                if (g[j, j] <= 0)
                {
                    continue;
                }

                var updated = beta[j] - (gradient[j] / g[j, j]);
                if (nonNegative[j] && updated < 0)
                {
                    updated = 0;
                }

                var delta = updated - beta[j];
                if (delta != 0)
                {
                    for (var a = 0; a < p; a++)
                    {
                        gradient[a] += g[a, j] * delta;
                    }

                    beta[j] = updated;
                    maxChange = Math.Max(maxChange, Math.Abs(delta));
                }

                scale = Math.Max(scale, Math.Abs(beta[j]));
            }

            if (maxChange <= tolerance * Math.Max(scale, 1e-12))
            {
                break;
            }
        }

        return beta;
    }
}
