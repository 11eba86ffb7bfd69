using System.Diagnostics;
using LatencyGate.Diagnostics;
using LatencyGate.Networks;

namespace LatencyGate.Measuring;

/// <summary>One pass over one arch: prepare, warm up, then time each run on both clocks.</summary>
internal static class ArchTimer
{
    public static PassTiming TimePass(IMeasurementRuntime runtime, Network network, MeasurementProtocol protocol, int pass, CancellationToken cancellation = default)
    {
        try
        {
            return Time(runtime, network, protocol, pass, cancellation);
        }
        catch (Exception ex) when (ex is not (LatencyGateException or OperationCanceledException or ArgumentException))
        {
            throw new LatencyGateException(
                MeasuringErrors.RunFailed,
                $"{runtime.Name} failed running {network.Name}: {ex.GetType().Name}: {ex.Message}",
                exitCode: ExitCode.InternalError);
        }
    }

    private static PassTiming Time(IMeasurementRuntime runtime, Network network, MeasurementProtocol protocol, int pass, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(protocol);
        var prepareWatch = Stopwatch.StartNew();
        using var prepared = runtime.Prepare(network, protocol.BatchSize, protocol.Threads, protocol.Seed);
        var prepareMs = prepareWatch.Elapsed.TotalMilliseconds;
        for (var i = 0; i < protocol.Warmup; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            prepared.RunOnce();
        }

        // One intra-op thread runs on this thread: its own CPU clock excludes the rest of the process.
        Func<double> cpuNow = protocol.Threads == 1 ? CpuClock.ThreadNowMs : CpuClock.NowMs;
        var cpu = new double[protocol.Runs];
        var wall = new double[protocol.Runs];
        for (var i = 0; i < protocol.Runs; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            var c0 = cpuNow();
            var w0 = Stopwatch.GetTimestamp();
            prepared.RunOnce();
            wall[i] = Stopwatch.GetElapsedTime(w0).TotalMilliseconds;
            cpu[i] = cpuNow() - c0;
        }

        return new PassTiming(pass, cpu, wall, prepareMs);
    }
}
