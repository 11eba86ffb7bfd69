using LatencyGate.Numerics;
using LatencyGate.Spaces;
using LatencyGate.Spaces.Encodings;
using LatencyGate.Statistics;

namespace LatencyGate.Predictors;

/// <summary>
/// How many free parameters the additive model's per-layer costs get. Every form is stored the same
/// way (an <see cref="AdditiveLatencyModel"/>: one cost per layer key and resolution knot), so the
/// choice is a fit-time matter; the lighter forms are the heavier ones with tied parameters.
/// </summary>
internal enum AdditiveForm
{
    /// <summary>
    /// Ridge on OFA's one-hot encoding: a cost per (slot, kernel) plus one per (slot, expand), the
    /// same at every resolution, and a cost per resolution bin of the encoding. The usual baseline.
    /// </summary>
    OneHot,

    /// <summary>
    /// A cost per layer key (slot, kernel, expand) that is linear in the pixel count, a + b·(r/224)²,
    /// with slot-kernel and slot-expand main effects shared across keys (so keys with few
    /// measurements borrow strength), plus a free fixed cost per resolution knot: about 600
    /// parameters whatever the number of resolutions.
    /// </summary>
    PixelLinear,

    /// <summary>
    /// A free cost per layer key at every resolution knot (the form of OFA's lookup tables):
    /// 181 parameters per knot, tried only when the training rows outnumber them.
    /// </summary>
    PerResolution,
}

internal static class AdditiveForms
{
    private const int KernelColumns = Arch.SlotCount * 3;
    private const int KeyColumns = AdditiveLatencyModel.Keys;

    public static string Name(this AdditiveForm form) => form switch
    {
        AdditiveForm.OneHot => "one-hot ridge",
        AdditiveForm.PixelLinear => "pixel-linear per-layer",
        AdditiveForm.PerResolution => "per-resolution per-layer",
        _ => throw new ArgumentOutOfRangeException(nameof(form)),
    };

    /// <summary>Free parameters of the form's design (without the intercept).</summary>
    public static int ColumnCount(AdditiveForm form, int knots) => form switch
    {
        AdditiveForm.OneHot => TutorialOneHotEncoding.Size,
        AdditiveForm.PixelLinear => knots + (2 * ((2 * KernelColumns) + KeyColumns)),
        _ => AdditiveLatencyModel.FeatureCount(knots),
    };

    public static SparseRows Design(AdditiveForm form, float[] knots, IReadOnlyList<Arch> archs)
    {
        if (form == AdditiveForm.PerResolution)
        {
            return AdditiveLatencyModel.Design(knots, archs);
        }

        var rows = new SparseRows(ColumnCount(form, knots.Length));
        var buffer = new List<(int, double)>(128);
        Span<int> ones = stackalloc int[TutorialOneHotEncoding.MaxNonZero];
        Span<(int Knot, double Weight)> hat = stackalloc (int, double)[2];
        foreach (var arch in archs)
        {
            buffer.Clear();
            if (form == AdditiveForm.OneHot)
            {
                foreach (var i in ones[..TutorialOneHotEncoding.Indices(arch, ones)])
                {
                    buffer.Add((i, 1.0));
                }
            }
            else
            {
                var h = AdditiveLatencyModel.Hat(knots, arch.Resolution, hat);
                foreach (var (knot, weight) in hat[..h])
                {
                    buffer.Add((knot, weight));
                }

                var t = Pixels(arch.Resolution);
                var k = knots.Length;
                for (var slot = 0; slot < Arch.SlotCount; slot++)
                {
                    if (!arch.IsActive(slot))
                    {
                        continue;
                    }

                    var (kernel, expand, key) = Columns(slot, arch.KernelSizes[slot], arch.ExpandRatios[slot]);
                    foreach (var column in (ReadOnlySpan<int>)[kernel, expand, key])
                    {
                        buffer.Add((k + (2 * column), 1.0));
                        buffer.Add((k + (2 * column) + 1, t));
                    }
                }
            }

            buffer.Sort((a, b) => a.Item1.CompareTo(b.Item1));
            rows.AddRow(buffer.ToArray());
        }

        return rows;
    }

    /// <summary>
    /// The stored form of a fitted design: every (key, knot) cost and every knot's fixed cost. Exact,
    /// not an approximation, at every resolution: the stored model interpolates linearly in r²
    /// between knots and the pixel-linear costs are linear in r²; the one-hot form's costs do not
    /// depend on r, and a resolution bin's cost becomes the fixed cost of each knot in the bin.
    /// </summary>
    public static AdditiveLatencyModel ToModel(AdditiveForm form, float[] knots, double[] w, double intercept, double lambda)
    {
        if (form == AdditiveForm.PerResolution)
        {
            return new AdditiveLatencyModel(knots, w, intercept) { Lambda = lambda };
        }

        var k = knots.Length;
        var weights = new double[AdditiveLatencyModel.FeatureCount(k)];
        for (var j = 0; j < k; j++)
        {
            if (form == AdditiveForm.OneHot)
            {
                weights[j] = w[TutorialOneHotEncoding.ResolutionIndex((int)knots[j])];
            }
            else
            {
                weights[j] = w[j];
            }
        }

        for (var slot = 0; slot < Arch.SlotCount; slot++)
        {
            for (var ki = 0; ki < 3; ki++)
            {
                for (var ei = 0; ei < 3; ei++)
                {
                    var key = (slot * 9) + (ki * 3) + ei;
                    for (var j = 0; j < k; j++)
                    {
                        double cost;
                        if (form == AdditiveForm.OneHot)
                        {
                            cost = w[(slot * 3) + ki] + w[KernelColumns + (slot * 3) + ei];
                        }
                        else
                        {
                            var t = Pixels(knots[j]);
                            var (kernel, expand, keyColumn) = ((slot * 3) + ki, KernelColumns + (slot * 3) + ei, (2 * KernelColumns) + key);
                            cost = 0;
                            foreach (var column in (ReadOnlySpan<int>)[kernel, expand, keyColumn])
                            {
                                cost += w[k + (2 * column)] + (t * w[k + (2 * column) + 1]);
                            }
                        }

                        weights[k + (key * k) + j] = cost;
                    }
                }
            }
        }

        return new AdditiveLatencyModel(knots, weights, intercept) { Lambda = lambda };
    }

    private static double Pixels(double resolution) => resolution * resolution / (224.0 * 224.0);

    private static (int Kernel, int Expand, int Key) Columns(int slot, int kernelSize, int expandRatio)
    {
        var ki = OfaGeometry.KernelIndex(kernelSize);
        var ei = OfaGeometry.ExpandIndex(expandRatio);
        return ((slot * 3) + ki, KernelColumns + (slot * 3) + ei, (2 * KernelColumns) + (slot * 9) + (ki * 3) + ei);
    }
}

/// <summary>One candidate of the additive model's selection: its cross-validated figures.</summary>
internal sealed record AdditiveCandidate(AdditiveForm Form, double Lambda, LatencyMetrics CrossValidated);

/// <summary>The chosen additive model (refitted on every row), the candidate it came from, every candidate and why.</summary>
internal sealed record AdditiveSelection(AdditiveLatencyModel Model, AdditiveCandidate Chosen, IReadOnlyList<AdditiveCandidate> Candidates, string Reason, int Folds);

/// <summary>
/// Fits the additive model: every form the data can support, each with its ridge penalty from a grid,
/// scored by 5-fold cross-validated MAE over all the rows; then the simplest form (one-hot, then
/// pixel-linear, then per-resolution) whose error is within one standard error of the best form's
/// (paired per-row differences) is refitted on every row. The one-standard-error rule keeps the
/// plain one-hot ridge where a richer form's advantage is noise (GPUs at batch 1, whose latency
/// barely depends on the arch). The per-resolution form is tried only with more rows than its
/// parameters: below that it interpolates the training rows, and its dense normal equations (181
/// columns per resolution) cost O(columns³) for nothing.
/// </summary>
internal static class AdditiveModelSelection
{
    public static readonly double[] Lambdas = [1e-3, 1e-2, 1e-1, 1, 10, 100];

    public const int FoldCount = 5;

    /// <summary>Penalty and form with too few rows to cross-validate.</summary>
    private const double DefaultLambda = 1e-1;

    /// <summary>The fold of every row: a seeded shuffle dealt round-robin into <see cref="FoldCount"/> folds.</summary>
    public static int[] Folds(int n, ulong seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        new Randomness.SeededRandom(seed).Fork(0xF01D).Shuffle(order.AsSpan());
        var folds = new int[n];
        for (var i = 0; i < n; i++)
        {
            folds[order[i]] = i % FoldCount;
        }

        return folds;
    }

    public static AdditiveSelection Fit(IReadOnlyList<Arch> archs, IReadOnlyList<double> ms, ulong seed, IReadOnlyList<AdditiveForm>? onlyForms = null, CancellationToken cancellationToken = default)
    {
        var knots = Knots(archs);
        var y = ms.ToArray();
        if (archs.Count < 2 * FoldCount)
        {
            var (w, b) = SparseRidge.Fit(AdditiveForms.Design(AdditiveForm.PixelLinear, knots, archs), y, DefaultLambda);
            var fitted = AdditiveForms.ToModel(AdditiveForm.PixelLinear, knots, w, b, DefaultLambda);
            var only = new AdditiveCandidate(AdditiveForm.PixelLinear, DefaultLambda, LatencyMetrics.Compute(archs.Select(fitted.Predict).ToArray(), y));
            return new AdditiveSelection(fitted, only, [only], "too few rows to cross-validate: pixel-linear form, fixed penalty (figures are on the training rows)", 0);
        }

        var forms = onlyForms?.ToList() ?? [AdditiveForm.OneHot, AdditiveForm.PixelLinear];
        if (onlyForms is null && archs.Count * (FoldCount - 1) / FoldCount >= AdditiveForms.ColumnCount(AdditiveForm.PerResolution, knots.Length))
        {
            forms.Add(AdditiveForm.PerResolution);
        }

        var folds = Folds(archs.Count, seed);
        var candidates = new List<AdditiveCandidate>();
        var bestPerForm = new List<(AdditiveCandidate Candidate, double[] Errors)>();
        foreach (var form in forms)
        {
            var outOfFold = Lambdas.Select(_ => new double[archs.Count]).ToArray();
            for (var f = 0; f < FoldCount; f++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var trainRows = Enumerable.Range(0, archs.Count).Where(i => folds[i] != f).ToArray();
                var testRows = Enumerable.Range(0, archs.Count).Where(i => folds[i] == f).ToArray();
                // Knots from every row: a fold must not lose a resolution that the final model has.
                var fits = SparseRidge.FitPath(AdditiveForms.Design(form, knots, trainRows.Select(i => archs[i]).ToArray()), trainRows.Select(i => y[i]).ToArray(), Lambdas);
                var held = AdditiveForms.Design(form, knots, testRows.Select(i => archs[i]).ToArray());
                for (var l = 0; l < Lambdas.Length; l++)
                {
                    for (var r = 0; r < testRows.Length; r++)
                    {
                        outOfFold[l][testRows[r]] = held.Dot(r, fits[l].Weights) + fits[l].Intercept;
                    }
                }
            }

            (AdditiveCandidate Candidate, double[] Errors)? best = null;
            for (var l = 0; l < Lambdas.Length; l++)
            {
                var candidate = new AdditiveCandidate(form, Lambdas[l], LatencyMetrics.Compute(outOfFold[l], y));
                candidates.Add(candidate);
                if (best is null || candidate.CrossValidated.MaeMs < best.Value.Candidate.CrossValidated.MaeMs)
                {
                    best = (candidate, outOfFold[l].Select((p, i) => Math.Abs(p - y[i])).ToArray());
                }
            }

            bestPerForm.Add(best!.Value);
        }

        var lowest = bestPerForm.MinBy(b => b.Candidate.CrossValidated.MaeMs);
        var chosen = bestPerForm.First(b => b.Candidate.CrossValidated.MaeMs - lowest.Candidate.CrossValidated.MaeMs <= PairedDifference.StandardError(b.Errors, lowest.Errors));
        var reason = ReferenceEquals(chosen.Errors, lowest.Errors)
            ? System.FormattableString.Invariant($"lowest {FoldCount}-fold cross-validated MAE ({chosen.Candidate.CrossValidated.MaeMs:G4} ms)")
            : System.FormattableString.Invariant($"within one standard error of the lowest {FoldCount}-fold cross-validated MAE ({chosen.Candidate.CrossValidated.MaeMs:G4} vs {lowest.Candidate.Form.Name()} {lowest.Candidate.CrossValidated.MaeMs:G4} ms), so the simpler form");
        var model = Refit(chosen.Candidate, knots, archs, y);
        return new AdditiveSelection(model, chosen.Candidate, candidates, reason, FoldCount);
    }

    private static AdditiveLatencyModel Refit(AdditiveCandidate chosen, float[] knots, IReadOnlyList<Arch> archs, double[] y)
    {
        var (w, b) = SparseRidge.Fit(AdditiveForms.Design(chosen.Form, knots, archs), y, chosen.Lambda);
        return AdditiveForms.ToModel(chosen.Form, knots, w, b, chosen.Lambda);
    }

    private static float[] Knots(IReadOnlyList<Arch> archs) => archs.Select(a => a.Resolution).Distinct().Order().Select(r => (float)r).ToArray();
}
