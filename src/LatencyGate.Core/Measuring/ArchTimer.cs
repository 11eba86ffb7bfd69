using System.Diagnostics;
using LatencyGate.Diagnostics;
using LatencyGate.Networks;

namespace LatencyGate.Measuring;

/// <summary>
/// One pass over one arch: prepare, warm up, then time each run on both clocks. With a reference
/// network (anchored protocol) each timed run of the arch is preceded by one timed run of the
/// reference, so the two see the same state of the machine. The reference is not run during the
/// arch's warm-up: it was warmed once when it was prepared (<see cref="MeasurementRun"/>), and its
/// timed runs all follow a run of the arch, so they see the same cache state with or without it.
/// </summary>
internal static class ArchTimer
{
    public static PassTiming TimePass(IMeasurementRuntime runtime, Network network, MeasurementProtocol protocol, int pass, CancellationToken cancellation = default, IPreparedNetwork? reference = null)
    {
        try
        {
            return Time(runtime, network, protocol, pass, reference, cancellation);
        }
        catch (Exception ex) when (ex is not (LatencyGateException or OperationCanceledException or ArgumentException) && IsOutOfMemory(ex))
        {
            throw new LatencyGateException(
                MeasuringErrors.OutOfMemory,
                $"{runtime.Name} ran out of memory running {network.Name} at batch size {protocol.BatchSize} ({ex.GetType().Name}: {EchoText.Cut(ex.Message)}): measure with a smaller --batch-size, or on a machine with more memory",
                exitCode: ExitCode.InvalidInput);
        }
        catch (Exception ex) when (ex is not (LatencyGateException or OperationCanceledException or ArgumentException))
        {
            throw new LatencyGateException(
                MeasuringErrors.RunFailed,
                $"{runtime.Name} failed running {network.Name}: {ex.GetType().Name}: {ex.Message}",
                exitCode: ExitCode.InternalError);
        }
    }

    /// <summary>
    /// Out of memory as each runtime says it: .NET's own exception, ONNX Runtime's "Failed to allocate
    /// memory for requested buffer", libtorch's "DefaultCPUAllocator: not enough memory".
    /// </summary>
    internal static bool IsOutOfMemory(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is OutOfMemoryException
                || (e.Message.Contains("allocat", StringComparison.OrdinalIgnoreCase) && e.Message.Contains("memory", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    private static PassTiming Time(IMeasurementRuntime runtime, Network network, MeasurementProtocol protocol, int pass, IPreparedNetwork? reference, CancellationToken cancellation)
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
        var refCpu = reference is null ? null : new double[protocol.Runs];
        var refWall = reference is null ? null : new double[protocol.Runs];
        for (var i = 0; i < protocol.Runs; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            if (reference is not null)
            {
                (refCpu![i], refWall![i]) = TimeOnce(reference, cpuNow);
            }

            (cpu[i], wall[i]) = TimeOnce(prepared, cpuNow);
        }

        return new PassTiming(pass, cpu, wall, prepareMs, refCpu, refWall);
    }

    private static (double Cpu, double Wall) TimeOnce(IPreparedNetwork network, Func<double> cpuNow)
    {
        var c0 = cpuNow();
        var w0 = Stopwatch.GetTimestamp();
        network.RunOnce();
        var wall = Stopwatch.GetElapsedTime(w0).TotalMilliseconds;
        return (cpuNow() - c0, wall);
    }
}
