using System.Globalization;

namespace LatencyGate.Networks;

/// <summary>
/// The shape of one sample's tensor (the batch dimension is left out: it is chosen when a runtime
/// prepares the network). A feature map is channels x height x width; a vector (after
/// <see cref="FlattenOp"/>) has only <see cref="Channels"/>.
/// </summary>
internal sealed record FeatureShape(int Channels, int Height, int Width, bool IsVector = false)
{
    public static FeatureShape Map(int channels, int size) => new(channels, size, size);

    public static FeatureShape Vector(int length) => new(length, 1, 1, IsVector: true);

    public long Elements => (long)Channels * Height * Width;

    public override string ToString() => IsVector
        ? Channels.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Channels}x{Height}x{Width}");
}
