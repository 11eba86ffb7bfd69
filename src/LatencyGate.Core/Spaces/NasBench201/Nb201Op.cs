namespace LatencyGate.Spaces.NasBench201;

/// <summary>The five NAS-Bench-201 edge operations, in the benchmark's own order.</summary>
internal enum Nb201Op : byte
{
    None = 0,
    SkipConnect = 1,
    Conv1x1 = 2,
    Conv3x3 = 3,
    AvgPool3x3 = 4,
}
