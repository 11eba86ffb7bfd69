using System.Globalization;
using System.Numerics;
using LatencyGate.Diagnostics;

namespace LatencyGate.Spaces.FbNet;

/// <summary>An FBNet arch: one of 9 block choices for each of 22 layers (HELP/HW-NAS-Bench layout).</summary>
internal sealed class FbNetArch : IEquatable<FbNetArch>
{
    public const int LayerCount = 22;
    public const int OpCount = 9;

    /// <summary>Op names in HELP's index order; <c>skip</c> is the identity (no block).</summary>
    public static readonly IReadOnlyList<string> OpNames = ["k3_e1", "k3_e1_g2", "k3_e3", "k3_e6", "k5_e1", "k5_e1_g2", "k5_e3", "k5_e6", "skip"];

    /// <summary>Total number of archs, 9^22.</summary>
    public static readonly BigInteger SpaceSize = BigInteger.Pow(OpCount, LayerCount);

    private readonly byte[] _ops;

    private FbNetArch(byte[] ops) => _ops = ops;

    public ReadOnlySpan<byte> Ops => _ops;

    /// <summary>Mixed-radix index, layer 0 most significant (our enumeration; HELP's arch_id is a sample number).</summary>
    public BigInteger Index
    {
        get
        {
            BigInteger index = 0;
            foreach (var op in _ops)
            {
                index = (index * OpCount) + op;
            }

            return index;
        }
    }

    public static FbNetArch FromIndex(BigInteger index, SourceLocation? source = null)
    {
        if (index < 0 || index >= SpaceSize)
        {
            throw new LatencyGateException(MonotonicityErrors.FbNetIndexOutOfRange, $"FBNet index {index} is outside 0..9^22-1", source);
        }

        var ops = new byte[LayerCount];
        for (var l = LayerCount - 1; l >= 0; l--)
        {
            ops[l] = (byte)(int)(index % OpCount);
            index /= OpCount;
        }

        return new FbNetArch(ops);
    }

    public static FbNetArch FromOps(IReadOnlyList<int> ops, SourceLocation? source = null)
    {
        ArgumentNullException.ThrowIfNull(ops);
        if (ops.Count != LayerCount || ops.Any(o => o is < 0 or >= OpCount))
        {
            throw new LatencyGateException(MonotonicityErrors.BadFbNetArch, string.Create(CultureInfo.InvariantCulture, $"an FBNet arch needs {LayerCount} op indices in 0..{OpCount - 1}, got {ops.Count} values"), source);
        }

        return new FbNetArch([.. ops.Select(o => (byte)o)]);
    }

    public static FbNetArch Random(Randomness.SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var ops = new byte[LayerCount];
        for (var l = 0; l < LayerCount; l++)
        {
            ops[l] = (byte)random.NextInt(OpCount);
        }

        return new FbNetArch(ops);
    }

    /// <summary>Parses <c>k5_e6|skip|…</c> (22 op names joined by '|'); LG0710 otherwise.</summary>
    public static FbNetArch Parse(string text, SourceLocation? source = null)
    {
        var parts = (text ?? string.Empty).Trim().Trim('"', '\'').Split('|');
        if (parts.Length != LayerCount)
        {
            throw new LatencyGateException(MonotonicityErrors.BadFbNetArch, string.Create(CultureInfo.InvariantCulture, $"an FBNet arch is {LayerCount} op names joined by '|', got {parts.Length} parts"), source);
        }

        var ops = new byte[LayerCount];
        for (var l = 0; l < LayerCount; l++)
        {
            var op = -1;
            for (var k = 0; k < OpCount; k++)
            {
                if (string.Equals(parts[l].Trim(), OpNames[k], StringComparison.Ordinal))
                {
                    op = k;
                }
            }

            if (op < 0)
            {
                throw new LatencyGateException(MonotonicityErrors.BadFbNetArch, string.Create(CultureInfo.InvariantCulture, $"layer {l} has unknown op '{parts[l]}'; expected one of {string.Join(", ", OpNames)}"), source);
            }

            ops[l] = (byte)op;
        }

        return new FbNetArch(ops);
    }

    public override string ToString() => string.Join("|", _ops.Select(o => OpNames[o]));

    public bool Equals(FbNetArch? other) => other is not null && _ops.AsSpan().SequenceEqual(other._ops);

    public override bool Equals(object? obj) => obj is FbNetArch other && Equals(other);

    public override int GetHashCode() => Index.GetHashCode();
}
