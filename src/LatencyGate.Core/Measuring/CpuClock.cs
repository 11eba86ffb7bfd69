using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LatencyGate.Measuring;

/// <summary>
/// CPU time of this process (all threads), in milliseconds. On Linux it reads
/// clock_gettime(CLOCK_PROCESS_CPUTIME_ID), which has nanosecond resolution; elsewhere
/// <see cref="Process.TotalProcessorTime"/>; <see cref="ThreadNowMs"/> is the calling thread's. CPU time is what a loaded, shared machine measures
/// best: time the process spends waiting for a core is not in it.
/// </summary>
internal static partial class CpuClock
{
    private const int ClockProcessCpuTimeId = 2;
    private const int ClockThreadCpuTimeId = 3;
    private static readonly bool UseClockGettime = OperatingSystem.IsLinux() && Probe();

    public static double NowMs()
    {
        if (UseClockGettime && clock_gettime(ClockProcessCpuTimeId, out var ts) == 0)
        {
            return (ts.Seconds * 1e3) + (ts.Nanoseconds / 1e6);
        }

        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime.TotalMilliseconds;
    }

    /// <summary>
    /// CPU time of the calling thread (Linux), else of the process. With one intra-op thread the
    /// runtimes run the network on the calling thread, so this leaves out the GC, the JIT and any
    /// other thread of the host process.
    /// </summary>
    public static double ThreadNowMs()
    {
        if (UseClockGettime && clock_gettime(ClockThreadCpuTimeId, out var ts) == 0)
        {
            return (ts.Seconds * 1e3) + (ts.Nanoseconds / 1e6);
        }

        return NowMs();
    }

    private static bool Probe()
    {
        try
        {
            return clock_gettime(ClockProcessCpuTimeId, out _) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", SetLastError = false)]
    private static partial int clock_gettime(int clockId, out TimeSpec value);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
