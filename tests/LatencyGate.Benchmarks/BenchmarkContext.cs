namespace LatencyGate.Benchmarks;

/// <summary>What every benchmark gets: the reference data folder, the output folder and a log.</summary>
internal sealed record BenchmarkContext(string DataDirectory, string OutputDirectory, TextWriter Log)
{
    public int CoreCount => Environment.ProcessorCount;

    public string DataPath(params string[] parts) => Path.Combine([DataDirectory, .. parts]);
}
