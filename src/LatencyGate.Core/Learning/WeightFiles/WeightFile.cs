namespace LatencyGate.Learning.WeightFiles;

/// <summary>
/// The tensors of one weights file in file order, with the safetensors <c>__metadata__</c> map (empty for
/// PyTorch checkpoints, which carry none).
/// </summary>
internal sealed record WeightFile(
    string Path,
    WeightFileFormat Format,
    IReadOnlyList<NamedTensor> Tensors,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The tensor called <paramref name="name"/>, or null.</summary>
    public NamedTensor? Find(string name) => Tensors.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));
}
