namespace LatencyGate.Benchmarks;

/// <summary>What every benchmark gets: the reference data folder, the output folder and a log.</summary>
internal sealed record BenchmarkContext(string DataDirectory, string OutputDirectory, TextWriter Log)
{
    public int CoreCount => Environment.ProcessorCount;

    /// <summary>The 1-minute load average now (Linux), so figures say how loaded the machine was; "unknown" elsewhere.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    public string DataPath(params string[] parts) => Path.Combine([DataDirectory, .. parts]);
}
