using System.Globalization;
using LatencyGate.Diagnostics;

namespace LatencyGate.Spaces;

/// <summary>
/// An OFA MobileNetV3 search space: elastic kernel {3,5,7}, expand {3,4,6}, depth {2,3,4} per
/// stage, resolution 128–224 in steps of 4, at a width multiplier (1.0 or 1.2).
/// </summary>
internal sealed class OfaSpace
{
    public static readonly IReadOnlyList<int> KernelSizeChoices = [3, 5, 7];
    public static readonly IReadOnlyList<int> ExpandRatioChoices = [3, 4, 6];
    public static readonly IReadOnlyList<int> DepthChoices = [2, 3, 4];

    public static readonly OfaSpace W10 = new("ofa-mbv3-w1.0", 1.0);
    public static readonly OfaSpace W12 = new("ofa-mbv3-w1.2", 1.2);

    public static IReadOnlyList<OfaSpace> All { get; } = [W10, W12];

    private OfaSpace(string name, double widthMultiplier)
    {
        Name = name;
        WidthMultiplier = widthMultiplier;
    }

    public string Name { get; }

    public double WidthMultiplier { get; }

    public int MinResolution => 128;

    public int MaxResolution => 224;

    public int ResolutionStep => 4;

    public IReadOnlyList<int> Resolutions { get; } = Enumerable.Range(0, 25).Select(i => 128 + (4 * i)).ToArray();

    public bool SupportsResolution(int r) => r >= MinResolution && r <= MaxResolution && (r - MinResolution) % ResolutionStep == 0;

    public string DescribeResolutions() =>
        string.Create(CultureInfo.InvariantCulture, $"{MinResolution}..{MaxResolution} in steps of {ResolutionStep}");

    public static bool TryGet(string name, out OfaSpace space)
    {
        foreach (var s in All)
        {
            if (string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                space = s;
                return true;
            }
        }

        space = W12;
        return false;
    }

    public static OfaSpace Get(string name, SourceLocation? location = null) =>
        TryGet(name, out var space)
            ? space
            : throw new LatencyGateException(
                ArchErrors.UnknownSpace,
                $"unknown space '{name}'; expected one of {string.Join(", ", All.Select(s => s.Name))}",
                location);
}
