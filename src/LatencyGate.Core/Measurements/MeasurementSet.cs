namespace LatencyGate.Measurements;

/// <summary>
/// The measurements of one CSV: distinct archs in order of first appearance, the number of data
/// rows read, and the sha256 of the file's bytes (recorded in predictor files).
/// </summary>
internal sealed record MeasurementSet(string Path, IReadOnlyList<Measurement> Items, int RowCount, string LatencyColumn, string Sha256)
{
    /// <summary>Rows folded into an earlier row of the same canonical arch.</summary>
    public int DuplicateRows => RowCount - Items.Count;

    /// <summary>
    /// The machines (and settings) the rows were measured on, as <c>measure</c> records them: each the
    /// values of <see cref="MachineColumns.Names"/>, distinct, in order of first appearance. Empty when
    /// the file has no such columns (measured elsewhere).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Machines { get; init; } = [];
}
