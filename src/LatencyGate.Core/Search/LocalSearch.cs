using LatencyGate.Randomness;
using LatencyGate.Spaces;

namespace LatencyGate.Search;

/// <summary>
/// Steepest-ascent climbing from an arch through changes of one or two genes (a gene: the
/// resolution, one active block's kernel and expand ratio together, or one stage's depth), and
/// iterated local search on top (perturb, climb again, keep if better). Pairs matter: at a tight
/// budget the best arch sits on the latency boundary, where an improving change only fits
/// together with a saving elsewhere. Every single change is predicted and scored; pairs are
/// ranked by the sum of their two single gains, kept if the sum of their latency changes fits,
/// and only the best-ranked ones are predicted and scored exactly. Every move strictly improves
/// the objective and the number of moves is bounded.
/// </summary>
internal static class LocalSearch
{
    public const int PairCandidates = 256;

    public static Arch Climb(CandidateEvaluator evaluator, Arch start, IReadOnlyList<int> resolutions, int maxSteps)
    {
        var current = start;
        var currentScore = evaluator.Score(current);
        for (var step = 0; step < maxSteps; step++)
        {
            var moves = SingleMoves(current, resolutions);
            var singles = moves.Select(m => Apply(current, m)).ToArray();
            evaluator.EnsureLatency([current, .. singles]);
            var gains = new double[singles.Length];
            evaluator.Score(singles, gains);
            var baseLatency = evaluator.Latency(current).ConstrainedMs;
            for (var i = 0; i < gains.Length; i++)
            {
                gains[i] -= currentScore;
            }

            var deltas = singles.Select(a => Delta(evaluator.Latency(a).ConstrainedMs, baseLatency)).ToArray();

            // Best feasible single move, then the most promising pairs.
            var bestArch = current;
            var bestScore = currentScore;
            for (var i = 0; i < singles.Length; i++)
            {
                if (currentScore + gains[i] > bestScore && evaluator.Fits(singles[i]))
                {
                    bestScore = currentScore + gains[i];
                    bestArch = singles[i];
                }
            }

            var pairs = new List<(double Gain, int I, int J)>();
            for (var i = 0; i < moves.Count; i++)
            {
                for (var j = i + 1; j < moves.Count; j++)
                {
                    var gain = gains[i] + gains[j];
                    if (moves[i].Gene == moves[j].Gene || gain <= bestScore - currentScore || !FitsApprox(baseLatency, deltas[i], deltas[j], evaluator))
                    {
                        continue;
                    }

                    pairs.Add((gain, i, j));
                }
            }

            pairs.Sort((a, b) =>
            {
                var c = b.Gain.CompareTo(a.Gain);
                return c != 0 ? c : a.I != b.I ? a.I.CompareTo(b.I) : a.J.CompareTo(b.J);
            });
            var chosen = pairs.Take(PairCandidates).Select(p => Apply(Apply(current, moves[p.I]), moves[p.J])).Distinct().ToArray();
            evaluator.EnsureLatency(chosen);
            var feasible = chosen.Where(evaluator.Fits).ToArray();
            var scores = new double[feasible.Length];
            evaluator.Score(feasible, scores);
            for (var i = 0; i < feasible.Length; i++)
            {
                if (scores[i] > bestScore)
                {
                    bestScore = scores[i];
                    bestArch = feasible[i];
                }
            }

            if (!(bestScore > currentScore))
            {
                break;
            }

            current = bestArch;
            currentScore = bestScore;
        }

        return current;
    }

    /// <summary>
    /// Iterated local search: a bounded number of rounds, perturb the incumbent (OFA's mutation
    /// at a higher rate, re-drawn until it fits, bounded), climb, and keep the result if it is better.
    /// </summary>
    public static Arch Iterate(CandidateEvaluator evaluator, ArchSampler sampler, Arch start, EvolutionOptions options, SeededRandom random, CancellationToken cancellationToken = default)
    {
        var incumbent = Climb(evaluator, start, sampler.Resolutions, options.MaxLocalSearchSteps);
        var incumbentScore = evaluator.Score(incumbent);
        for (var round = 0; round < options.PerturbationRounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var perturbed = incumbent;
            for (var attempt = 0; attempt < options.MaxRejectionRounds; attempt++)
            {
                var candidate = sampler.Mutate(incumbent, options.PerturbationProbability, random);
                if (!candidate.Equals(incumbent) && evaluator.Fits(candidate))
                {
                    perturbed = candidate;
                    break;
                }
            }

            var climbed = Climb(evaluator, perturbed, sampler.Resolutions, options.MaxLocalSearchSteps);
            var score = evaluator.Score(climbed);
            if (score > incumbentScore)
            {
                incumbent = climbed;
                incumbentScore = score;
            }
        }

        return incumbent;
    }

    private static double[] Delta(double[] latency, double[] baseline)
    {
        var d = new double[latency.Length];
        for (var i = 0; i < d.Length; i++)
        {
            d[i] = latency[i] - baseline[i];
        }

        return d;
    }

    private static bool FitsApprox(double[] baseline, double[] a, double[] b, CandidateEvaluator evaluator)
    {
        for (var d = 0; d < baseline.Length; d++)
        {
            if (baseline[d] + a[d] + b[d] > evaluator.Constraints[d].BudgetMs)
            {
                return false;
            }
        }

        return true;
    }

    private static List<Move> SingleMoves(Arch arch, IReadOnlyList<int> resolutions)
    {
        var moves = new List<Move>();
        foreach (var r in resolutions)
        {
            if (r != arch.Resolution)
            {
                moves.Add(new Move(MoveKind.Resolution, 0, r, 0));
            }
        }

        for (var slot = 0; slot < Arch.SlotCount; slot++)
        {
            if (!arch.IsActive(slot))
            {
                continue;
            }

            foreach (var k in OfaSpace.KernelSizeChoices)
            {
                foreach (var e in OfaSpace.ExpandRatioChoices)
                {
                    if (k != arch.KernelSizes[slot] || e != arch.ExpandRatios[slot])
                    {
                        moves.Add(new Move(MoveKind.Block, slot, k, e));
                    }
                }
            }
        }

        for (var stage = 0; stage < Arch.StageCount; stage++)
        {
            foreach (var d in OfaSpace.DepthChoices)
            {
                if (d != arch.Depths[stage])
                {
                    moves.Add(new Move(MoveKind.Depth, stage, d, 0));
                }
            }
        }

        return moves;
    }

    private static Arch Apply(Arch arch, Move move)
    {
        var ks = arch.KernelSizes.ToArray();
        var e = arch.ExpandRatios.ToArray();
        var d = arch.Depths.ToArray();
        var r = arch.Resolution;
        switch (move.Kind)
        {
            case MoveKind.Resolution:
                r = move.A;
                break;
            case MoveKind.Block:
                ks[move.Index] = (byte)move.A;
                e[move.Index] = (byte)move.B;
                break;
            default:
                d[move.Index] = (byte)move.A;
                break;
        }

        return Arch.CreateTrusted(ks, e, d, r);
    }

    private enum MoveKind
    {
        Resolution,
        Block,
        Depth,
    }

    private readonly record struct Move(MoveKind Kind, int Index, int A, int B)
    {
        public int Gene => Kind switch
        {
            MoveKind.Resolution => -1,
            MoveKind.Block => Index,
            _ => 100 + Index,
        };
    }
}
