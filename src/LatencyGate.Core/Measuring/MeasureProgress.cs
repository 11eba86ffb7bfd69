namespace LatencyGate.Measuring;

/// <summary>Where a measuring run is: passes done of all passes planned, and the arch just timed.</summary>
internal sealed record MeasureProgress(int Done, int Total, string ArchKey, int Pass, double MedianMs, bool Reused);
