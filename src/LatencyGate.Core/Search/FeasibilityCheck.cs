using System.Globalization;
using System.Text;
using LatencyGate.Randomness;
using LatencyGate.Spaces;

namespace LatencyGate.Search;

/// <summary>
/// Decides, before any evolution, whether a budget can be met at all, so an impossible budget
/// ends at once with the smallest latency reachable instead of sampling forever (OFA's
/// random_sample loops until a draw fits). First the smallest sub-network at the smallest
/// resolution (the minimum for any additive, monotone predictor such as a lookup table), then,
/// for predictors that are not monotone, the smallest sub-network at every resolution and a
/// batch of random probes.
/// </summary>
internal static class FeasibilityCheck
{
    public const int RandomProbes = 1024;

    public static FeasibilityReport Run(CandidateEvaluator evaluator, ArchSampler sampler, SeededRandom random)
    {
        var resolutions = sampler.Resolutions.Order().ToArray();
        var smallest = SmallestArch(resolutions[0]);
        if (evaluator.Fits(smallest))
        {
            return new FeasibilityReport([smallest], 1, []);
        }

        var probes = new List<Arch>(RandomProbes + resolutions.Length);
        probes.AddRange(resolutions.Select(SmallestArch));
        for (var i = 0; i < RandomProbes; i++)
        {
            probes.Add(sampler.Sample(random));
        }

        var batch = probes.ToArray();
        evaluator.EnsureLatency(batch);
        var feasible = batch.Where(evaluator.Fits).Distinct().ToArray();
        if (feasible.Length > 0)
        {
            return new FeasibilityReport(feasible, batch.Length, []);
        }

        var closest = new List<ClosestArch>();
        for (var d = 0; d < evaluator.Constraints.Count; d++)
        {
            var bestArch = batch[0];
            var bestMs = double.PositiveInfinity;
            foreach (var a in batch)
            {
                var ms = evaluator.Latency(a).ConstrainedMs[d];
                if (ms < bestMs)
                {
                    bestMs = ms;
                    bestArch = a;
                }
            }

            closest.Add(new ClosestArch(evaluator.Constraints[d], bestArch, bestMs));
        }

        return new FeasibilityReport([], batch.Length, closest);
    }

    /// <summary>Depth 2 in every stage, kernel 3 and expand ratio 3 in every block.</summary>
    public static Arch SmallestArch(int resolution)
    {
        var ks = Enumerable.Repeat((byte)OfaSpace.KernelSizeChoices.Min(), Arch.SlotCount).ToArray();
        var e = Enumerable.Repeat((byte)OfaSpace.ExpandRatioChoices.Min(), Arch.SlotCount).ToArray();
        var d = Enumerable.Repeat((byte)OfaSpace.DepthChoices.Min(), Arch.StageCount).ToArray();
        return Arch.CreateTrusted(ks, e, d, resolution);
    }

    /// <summary>The LG0300 message: each budget that cannot be met and the smallest latency reachable.</summary>
    public static string Describe(FeasibilityReport report, double? confidence)
    {
        var what = confidence is { } c
            ? string.Create(CultureInfo.InvariantCulture, $"upper bound at {c * 100:0.##} % confidence")
            : "latency";
        var sb = new StringBuilder();
        var unreachable = report.Closest.Where(x => x.Ms > x.Constraint.BudgetMs).ToList();
        if (unreachable.Count == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"no single sub-network meets every budget at once among {report.Probed} archs probed (");
            sb.AppendJoin("; ", report.Closest.Select(x => string.Create(CultureInfo.InvariantCulture, $"'{x.Constraint.Device}' alone reaches {x.Ms:0.###} ms against {x.Constraint.BudgetMs:0.###} ms")));
            sb.Append(')');
            return sb.ToString();
        }

        sb.AppendJoin("; ", unreachable.Select(x => string.Create(
            CultureInfo.InvariantCulture,
            $"no sub-network fits the {x.Constraint.BudgetMs:0.###} ms budget on '{x.Constraint.Device}': the smallest {what} reachable is {x.Ms:0.###} ms ({x.Arch.CanonicalKey})")));
        sb.Append(CultureInfo.InvariantCulture, $" ({report.Probed} archs probed, the smallest sub-network at every resolution among them)");
        return sb.ToString();
    }
}

/// <summary>Feasible archs found (empty when none), how many archs were probed, and the closest per device when none fits.</summary>
internal sealed record FeasibilityReport(IReadOnlyList<Arch> Feasible, int Probed, IReadOnlyList<ClosestArch> Closest)
{
    public bool IsFeasible => Feasible.Count > 0;
}

internal sealed record ClosestArch(LatencyConstraint Constraint, Arch Arch, double Ms);
