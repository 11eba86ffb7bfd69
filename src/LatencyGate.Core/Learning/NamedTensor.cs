namespace LatencyGate.Learning;

/// <summary>
/// A named float32 tensor in row-major order: the unit exchanged between weight files (safetensors,
/// PyTorch) and models. Shape follows PyTorch (a Linear weight is [out, in]).
/// </summary>
internal sealed record NamedTensor(string Name, int[] Shape, float[] Values)
{
    public int ElementCount => Shape.Aggregate(1, (a, b) => a * b);
}
