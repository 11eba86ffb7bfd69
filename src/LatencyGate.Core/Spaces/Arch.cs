using System.Globalization;
using System.Text;
using LatencyGate.Diagnostics;

namespace LatencyGate.Spaces;

/// <summary>
/// One OFA MobileNetV3 sub-network: kernel size and expand ratio for each of the 20 block slots,
/// depth for each of the 5 stages, and the input resolution. Slot i belongs to stage i/4 and is
/// active when i mod 4 &lt; d[stage]. Equality and hashing follow the canonical key, so two archs
/// that differ only in inactive slots are equal.
/// </summary>
internal sealed class Arch : IEquatable<Arch>
{
    public const int StageCount = 5;
    public const int MaxDepth = 4;
    public const int SlotCount = StageCount * MaxDepth;

    private readonly byte[] _kernelSizes;
    private readonly byte[] _expandRatios;
    private readonly byte[] _depths;
    private readonly ulong _hashA;
    private readonly ulong _hashB;

    private Arch(byte[] kernelSizes, byte[] expandRatios, byte[] depths, int resolution)
    {
        _kernelSizes = kernelSizes;
        _expandRatios = expandRatios;
        _depths = depths;
        Resolution = resolution;
        (_hashA, _hashB) = ComputeCanonicalHash();
    }

    public ReadOnlySpan<byte> KernelSizes => _kernelSizes;

    public ReadOnlySpan<byte> ExpandRatios => _expandRatios;

    public ReadOnlySpan<byte> Depths => _depths;

    public int Resolution { get; }

    /// <summary>Number of active blocks (sum of depths).</summary>
    public int ActiveBlockCount
    {
        get
        {
            var n = 0;
            foreach (var d in _depths)
            {
                n += d;
            }

            return n;
        }
    }

    /// <summary>
    /// Validates and creates an arch. Throws <see cref="LatencyGateException"/> (LG0001) naming the
    /// field, the slot and the value of every problem found; <paramref name="source"/> is the
    /// location reported with them.
    /// </summary>
    public static Arch Create(
        IReadOnlyList<int> kernelSizes,
        IReadOnlyList<int> expandRatios,
        IReadOnlyList<int> depths,
        int resolution,
        OfaSpace? space = null,
        SourceLocation? source = null)
    {
        var errors = new DiagnosticBag();
        space ??= OfaSpace.W12;
        var ks = CheckField("ks", kernelSizes, SlotCount, OfaSpace.KernelSizeChoices, errors, source);
        var e = CheckField("e", expandRatios, SlotCount, OfaSpace.ExpandRatioChoices, errors, source);
        var d = CheckField("d", depths, StageCount, OfaSpace.DepthChoices, errors, source);
        if (!space.SupportsResolution(resolution))
        {
            errors.Error(
                ArchErrors.InvalidValue,
                string.Create(CultureInfo.InvariantCulture, $"arch field 'r' (resolution) is {resolution}; space {space.Name} expects {space.DescribeResolutions()}"),
                source);
        }

        errors.ThrowIfErrors();
        return new Arch(ks, e, d, resolution);
    }

    /// <summary>Creates an arch from values already known to be valid (hot paths in search).</summary>
    internal static Arch CreateTrusted(byte[] kernelSizes, byte[] expandRatios, byte[] depths, int resolution) =>
        new(kernelSizes, expandRatios, depths, resolution);

    public bool IsActive(int slot) => slot % MaxDepth < _depths[slot / MaxDepth];

    /// <summary>
    /// Stable text form of the active network, e.g. <c>r192-d2,2,3,4,3-k5,3|3,3,5|...-e...</c>;
    /// inactive slots are left out, the resolution is always in.
    /// </summary>
    public string CanonicalKey
    {
        get
        {
            var sb = new StringBuilder(96);
            sb.Append('r').Append(Resolution.ToString(CultureInfo.InvariantCulture)).Append("-d");
            for (var s = 0; s < StageCount; s++)
            {
                sb.Append((char)('0' + _depths[s]));
            }

            sb.Append("-k");
            AppendActive(sb, _kernelSizes);
            sb.Append("-e");
            AppendActive(sb, _expandRatios);
            return sb.ToString();
        }
    }

    /// <summary>A copy with the inactive slots set to the given defaults (OFA writes full lists).</summary>
    public Arch Normalized(int inactiveKernelSize = 3, int inactiveExpandRatio = 3)
    {
        var ks = (byte[])_kernelSizes.Clone();
        var e = (byte[])_expandRatios.Clone();
        for (var i = 0; i < SlotCount; i++)
        {
            if (!IsActive(i))
            {
                ks[i] = (byte)inactiveKernelSize;
                e[i] = (byte)inactiveExpandRatio;
            }
        }

        return new Arch(ks, e, (byte[])_depths.Clone(), Resolution);
    }

    public bool Equals(Arch? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (_hashA != other._hashA || _hashB != other._hashB || Resolution != other.Resolution)
        {
            return false;
        }

        if (!_depths.AsSpan().SequenceEqual(other._depths))
        {
            return false;
        }

        for (var i = 0; i < SlotCount; i++)
        {
            if (IsActive(i) && (_kernelSizes[i] != other._kernelSizes[i] || _expandRatios[i] != other._expandRatios[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is Arch other && Equals(other);

    public override int GetHashCode() => (int)(_hashA ^ (_hashA >> 32));

    /// <summary>128-bit fingerprint of the canonical form, for caches keyed by arch.</summary>
    public (ulong A, ulong B) Fingerprint => (_hashA, _hashB);

    public override string ToString() => CanonicalKey;

    private void AppendActive(StringBuilder sb, byte[] values)
    {
        for (var s = 0; s < StageCount; s++)
        {
            if (s > 0)
            {
                sb.Append('|');
            }

            for (var j = 0; j < _depths[s]; j++)
            {
                sb.Append((char)('0' + values[(s * MaxDepth) + j]));
            }
        }
    }

    private (ulong, ulong) ComputeCanonicalHash()
    {
        // FNV-1a over the canonical bytes, twice with different offsets: cheap, stable across runs.
        ulong a = 14695981039346656037UL;
        ulong b = 1099511628211UL * 31;
        void Mix(byte v)
        {
            a = (a ^ v) * 1099511628211UL;
            b = (b ^ (ulong)(v + 17)) * 0x100000001B3UL;
            b ^= b >> 29;
        }

        Mix((byte)(Resolution & 0xFF));
        Mix((byte)(Resolution >> 8));
        for (var s = 0; s < StageCount; s++)
        {
            Mix(_depths[s]);
        }

        for (var i = 0; i < SlotCount; i++)
        {
            if (IsActive(i))
            {
                Mix(_kernelSizes[i]);
                Mix(_expandRatios[i]);
            }
        }

        return (a, b);
    }

    private static byte[] CheckField(string field, IReadOnlyList<int> values, int expectedLength, IReadOnlyList<int> allowed, DiagnosticBag errors, SourceLocation? source)
    {
        var result = new byte[expectedLength];
        if (values.Count != expectedLength)
        {
            errors.Error(
                ArchErrors.WrongLength,
                string.Create(CultureInfo.InvariantCulture, $"arch field '{field}' has {values.Count} values; expected {expectedLength}"),
                source);
            return result;
        }

        for (var i = 0; i < expectedLength; i++)
        {
            var v = values[i];
            if (!allowed.Contains(v))
            {
                var unit = field == "d" ? "stage" : "slot";
                errors.Error(
                    ArchErrors.InvalidValue,
                    string.Create(CultureInfo.InvariantCulture, $"arch field '{field}' {unit} {i} is {v}; expected one of {{{string.Join(",", allowed)}}}"),
                    source);
            }
            else
            {
                result[i] = (byte)v;
            }
        }

        return result;
    }
}
