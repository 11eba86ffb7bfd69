using LatencyGate.Monotonicity;
using LatencyGate.Spaces.FbNet;

namespace LatencyGate.Benchmarks.Transfer;

/// <summary>HELP's FBNet table (5,000 archs × 27 device settings) with the encodings adaptation uses.</summary>
internal sealed class FbNetData
{
    private readonly MeasurementTable _table;
    private readonly Dictionary<string, double[]> _latency = new(StringComparer.Ordinal);

    private FbNetData(MeasurementTable table, FbNetArch[] archs)
    {
        _table = table;
        Archs = archs;
        Features = ArchColumnReader.Read(table) ?? throw new InvalidDataException("fbnet_latency.csv has no arch_str column");
    }

    public FbNetArch[] Archs { get; }

    public int Count => Archs.Length;

    public ArchFeatureSet Features { get; }

    public static FbNetData Load(string path)
    {
        var table = MeasurementTable.Read(path);
        return new FbNetData(table, [.. table.Text("arch_str").Select(s => FbNetArch.Parse(s))]);
    }

    public double[] Latency(string device)
    {
        lock (_latency)
        {
            if (!_latency.TryGetValue(device, out var values))
            {
                values = _table.Numbers("lat_ms_" + device);
                _latency[device] = values;
            }

            return values;
        }
    }
}
