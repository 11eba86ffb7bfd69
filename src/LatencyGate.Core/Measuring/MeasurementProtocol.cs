using System.Globalization;

namespace LatencyGate.Measuring;

/// <summary>Which clock a latency is read from.</summary>
internal enum TimingClock
{
    /// <summary>CPU time (of the calling thread with one intra-op thread, else of the process): robust on a shared machine; equals latency for one thread when the machine is idle.</summary>
    Cpu,

    /// <summary>Elapsed time: the latency a user sees, but it also counts time spent waiting for a core.</summary>
    Wall,
}

/// <summary>
/// How archs are timed: <see cref="Warmup"/> untimed runs, then <see cref="Runs"/> timed runs per
/// pass; <see cref="Passes"/> passes over all archs, alternating forward and reverse order so slow
/// drift (thermal, other load) does not land on one arch; an arch whose interval is wider than
/// <see cref="Tolerance"/> of its median gets up to <see cref="MaxRetries"/> extra passes and is
/// then flagged unstable. <see cref="Anchored"/>: each timed run is preceded by a run of a fixed
/// reference network (<see cref="AnchorReference"/>) and the arch's latency is its runs divided by
/// the reference's runs, times the reference's median over the whole file, which cancels the
/// machine's speed drift shared by the two.
/// </summary>
internal sealed record MeasurementProtocol(
    int Warmup = 10,
    int Runs = 30,
    int Passes = 2,
    int MaxRetries = 2,
    double Tolerance = 0.10,
    TimingClock Clock = TimingClock.Cpu,
    int Threads = 1,
    int BatchSize = 1,
    ulong Seed = 0,
    bool Anchored = false)
{
    public const int MaxRunsPerPass = 100_000;
    public const int MaxPassCount = 100;

    /// <summary>What is wrong with these settings, one message each (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                problems.Add(message);
            }
        }

        var inv = CultureInfo.InvariantCulture;
        Check(Warmup is >= 0 and <= MaxRunsPerPass, string.Create(inv, $"--warmup must be 0..{MaxRunsPerPass}; got {Warmup}"));
        Check(Runs is >= 3 and <= MaxRunsPerPass, string.Create(inv, $"--runs must be 3..{MaxRunsPerPass} (a median and quartiles need at least 3); got {Runs}"));
        Check(Passes is >= 1 and <= MaxPassCount, string.Create(inv, $"--passes must be 1..{MaxPassCount}; got {Passes}"));
        Check(MaxRetries is >= 0 and <= 10, string.Create(inv, $"--max-retries must be 0..10; got {MaxRetries}"));
        Check(Tolerance > 0 && Tolerance <= 10, string.Create(inv, $"--tolerance must be in (0, 10]; got {Tolerance}"));
        Check(Threads is >= 1 and <= 1024, string.Create(inv, $"--threads must be 1..1024; got {Threads}"));
        Check(BatchSize is >= 1 and <= 4096, string.Create(inv, $"--batch-size must be 1..4096; got {BatchSize}"));
        return problems;
    }

    /// <summary>The settings that must not change between a run and its resumption.</summary>
    public string Fingerprint => string.Create(
        CultureInfo.InvariantCulture,
        $"warmup={Warmup};runs={Runs};clock={ClockName};threads={Threads};batch={BatchSize};seed={Seed}{(Anchored ? ";anchor=smallest" : string.Empty)}");

    public string ClockName => Clock == TimingClock.Cpu ? "cpu" : "wall";

    /// <summary>
    /// These settings as <c>measure</c>'s options, every one spelt out (the command's own defaults
    /// differ: it anchors by default), so a measurement taken by the tool in another process follows
    /// exactly this protocol.
    /// </summary>
    public IReadOnlyList<string> MeasureArguments()
    {
        var inv = CultureInfo.InvariantCulture;
        return
        [
            "--warmup", Warmup.ToString(inv),
            "--runs", Runs.ToString(inv),
            "--passes", Passes.ToString(inv),
            "--max-retries", MaxRetries.ToString(inv),
            "--tolerance", Tolerance.ToString("R", inv),
            "--clock", ClockName,
            "--threads", Threads.ToString(inv),
            "--batch-size", BatchSize.ToString(inv),
            "--seed", Seed.ToString(inv),
            "--anchor", Anchored ? "reference" : "none",
        ];
    }
}
