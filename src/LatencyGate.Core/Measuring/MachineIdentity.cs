using System.Globalization;
using System.Runtime.InteropServices;

namespace LatencyGate.Measuring;

/// <summary>
/// Where and how a measurement was taken. Written into every row of a measurements CSV and carried
/// into a predictor fitted from it, so a figure never loses the machine and settings behind it.
/// </summary>
internal sealed record MachineIdentity(string CpuModel, int LogicalCores, string Os, string Runtime, string RuntimeVersion, int Threads, int BatchSize)
{
    /// <summary>The CSV columns, in order.</summary>
    public static IReadOnlyList<string> Columns => Measurements.MachineColumns.Names;

    public IReadOnlyList<string> Values =>
    [
        CpuModel,
        LogicalCores.ToString(CultureInfo.InvariantCulture),
        Os,
        Runtime,
        RuntimeVersion,
        Threads.ToString(CultureInfo.InvariantCulture),
        BatchSize.ToString(CultureInfo.InvariantCulture),
    ];

    /// <summary>This machine, for one runtime and setting.</summary>
    public static MachineIdentity ThisMachine(IMeasurementRuntime runtime, int threads, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        return new MachineIdentity(CpuModelName(), Environment.ProcessorCount, RuntimeInformation.OSDescription.Trim(), runtime.Name, runtime.Version, threads, batchSize);
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{CpuModel}, {LogicalCores} logical cores, {Os}; {Runtime} {RuntimeVersion}, {Threads} thread(s), batch {BatchSize}");

    private static string CpuModelName()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                {
                    if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is var i and > 0)
                    {
                        return line[(i + 1)..].Trim();
                    }
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
