namespace LatencyGate.Spaces.Encodings;

/// <summary>Turns an arch into a fixed-length feature vector for a learned predictor.</summary>
internal interface IArchEncoding
{
    /// <summary>Stable name stored in predictor files (e.g. <c>ofa-tutorial-128</c>).</summary>
    string Name { get; }

    int Length { get; }

    /// <summary>Writes exactly <see cref="Length"/> values into <paramref name="features"/> (every value, zeros included).</summary>
    void Encode(Arch arch, Span<float> features);
}
