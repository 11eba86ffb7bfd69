namespace LatencyGate.Measuring;

/// <summary>One pass over one arch: the timed runs (CPU and wall, ms) and how long preparing the network took.</summary>
internal sealed record PassTiming(int Pass, IReadOnlyList<double> CpuMs, IReadOnlyList<double> WallMs, double PrepareMs)
{
    public IReadOnlyList<double> Samples(TimingClock clock) => clock == TimingClock.Cpu ? CpuMs : WallMs;
}
