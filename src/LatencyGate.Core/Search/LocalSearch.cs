using LatencyGate.Spaces;

namespace LatencyGate.Search;

/// <summary>
/// Steepest-ascent climbing from an arch through every feasible change of one or two genes (a
/// gene: the resolution, one active block's kernel and expand ratio together, or one stage's
/// depth). Pairs matter: at a tight budget the best arch sits on the latency boundary, where an
/// improving change only fits together with a saving elsewhere. Deterministic (no randomness);
/// every move strictly improves the objective and at most <c>maxSteps</c> moves are made.
/// </summary>
internal static class LocalSearch
{
    public static Arch Climb(CandidateEvaluator evaluator, Arch start, IReadOnlyList<int> resolutions, int maxSteps)
    {
        var current = start;
        var currentScore = evaluator.Score(current);
        for (var step = 0; step < maxSteps; step++)
        {
            var singles = SingleMoves(current, resolutions);
            var candidates = new List<Arch>(singles.Count * singles.Count / 2);
            var seen = new HashSet<Arch> { current };
            foreach (var m in singles)
            {
                var a = Apply(current, m);
                if (seen.Add(a))
                {
                    candidates.Add(a);
                }
            }

            for (var i = 0; i < singles.Count; i++)
            {
                for (var j = i + 1; j < singles.Count; j++)
                {
                    if (singles[i].Gene == singles[j].Gene)
                    {
                        continue;
                    }

                    var a = Apply(Apply(current, singles[i]), singles[j]);
                    if (seen.Add(a))
                    {
                        candidates.Add(a);
                    }
                }
            }

            var all = candidates.ToArray();
            evaluator.EnsureLatency(all);
            var feasible = all.Where(evaluator.Fits).ToArray();
            if (feasible.Length == 0)
            {
                break;
            }

            var scores = new double[feasible.Length];
            evaluator.Score(feasible, scores);
            var top = EvolutionRun.ArgMax(scores);
            if (!(scores[top] > currentScore))
            {
                break;
            }

            current = feasible[top];
            currentScore = scores[top];
        }

        return current;
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
