using System.Globalization;
using System.Text;
using LatencyGate.Diagnostics;

namespace LatencyGate.Spaces.NasBench201;

/// <summary>
/// One NAS-Bench-201 cell: a DAG on nodes 0 (input) .. 3 (output) whose six edges j←i (i &lt; j)
/// each carry an operation. Edge order is the arch string's: 1←0, 2←0, 2←1, 3←0, 3←1, 3←2.
/// </summary>
internal sealed class Nb201Cell : IEquatable<Nb201Cell>
{
    public const int EdgeCount = 6;
    public const int OpCount = 5;
    public const int NodeCount = 4;
    public const int CellCount = 15625;

    /// <summary>Operation names as they appear in arch strings, indexed by <see cref="Nb201Op"/>.</summary>
    public static readonly IReadOnlyList<string> OpNames = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"];

    /// <summary>(to, from) of each edge, in arch-string order.</summary>
    public static readonly IReadOnlyList<(int To, int From)> Edges = [(1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2)];

    private readonly byte[] _ops;

    private Nb201Cell(byte[] ops) => _ops = ops;

    public ReadOnlySpan<byte> Ops => _ops;

    public Nb201Op this[int edge] => (Nb201Op)_ops[edge];

    /// <summary>
    /// Our enumeration index: the six ops read as a base-5 number, edge 1←0 most significant. The
    /// official NAS-Bench-201 index is the benchmark's own (shuffled) order and is not computable:
    /// data sets carry it beside the arch string (see docs/monotonicity.md).
    /// </summary>
    public int CanonicalIndex
    {
        get
        {
            var index = 0;
            foreach (var op in _ops)
            {
                index = (index * OpCount) + op;
            }

            return index;
        }
    }

    public static Nb201Cell Create(IReadOnlyList<Nb201Op> ops)
    {
        if (ops.Count != EdgeCount)
        {
            throw new LatencyGateException(MonotonicityErrors.BadNb201Arch, string.Create(CultureInfo.InvariantCulture, $"a NAS-Bench-201 cell has {EdgeCount} edges, got {ops.Count}"));
        }

        var bytes = new byte[EdgeCount];
        for (var i = 0; i < EdgeCount; i++)
        {
            if ((byte)ops[i] >= OpCount)
            {
                throw new LatencyGateException(MonotonicityErrors.BadNb201Arch, string.Create(CultureInfo.InvariantCulture, $"edge {i} has unknown op {(int)ops[i]}"));
            }

            bytes[i] = (byte)ops[i];
        }

        return new Nb201Cell(bytes);
    }

    public static Nb201Cell FromCanonicalIndex(int index, SourceLocation? source = null)
    {
        if (index is < 0 or >= CellCount)
        {
            throw new LatencyGateException(MonotonicityErrors.Nb201IndexOutOfRange, string.Create(CultureInfo.InvariantCulture, $"NAS-Bench-201 index {index} is outside 0..{CellCount - 1}"), source);
        }

        var ops = new byte[EdgeCount];
        for (var e = EdgeCount - 1; e >= 0; e--)
        {
            ops[e] = (byte)(index % OpCount);
            index /= OpCount;
        }

        return new Nb201Cell(ops);
    }

    /// <summary>All 15,625 cells in canonical-index order.</summary>
    public static IEnumerable<Nb201Cell> All()
    {
        for (var i = 0; i < CellCount; i++)
        {
            yield return FromCanonicalIndex(i);
        }
    }

    public static Nb201Cell RandomCell(Randomness.SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return FromCanonicalIndex(random.NextInt(CellCount));
    }

    /// <summary>
    /// Parses <c>|op~0|+|op~0|op~1|+|op~0|op~1|op~2|</c> (surrounding whitespace and quotes allowed).
    /// Throws LG0700 naming what was expected where the text departs from that form.
    /// </summary>
    public static Nb201Cell Parse(string text, SourceLocation? source = null)
    {
        if (TryParse(text, out var cell, out var error))
        {
            return cell;
        }

        throw new LatencyGateException(MonotonicityErrors.BadNb201Arch, $"'{Shorten(text)}' is not a NAS-Bench-201 arch string: {error}; expected |op~0|+|op~0|op~1|+|op~0|op~1|op~2| with op in {string.Join(", ", OpNames)}", source);
    }

    public static bool TryParse(string? text, out Nb201Cell cell, out string error)
    {
        cell = null!;
        if (text is null)
        {
            error = "no text";
            return false;
        }

        var t = text.Trim().Trim('"', '\'').Trim();
        var nodes = t.Split('+');
        if (nodes.Length != NodeCount - 1)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{nodes.Length} node groups separated by '+', expected 3");
            return false;
        }

        var ops = new byte[EdgeCount];
        var edge = 0;
        for (var j = 1; j < NodeCount; j++)
        {
            var group = nodes[j - 1].Trim();
            if (group.Length < 2 || group[0] != '|' || group[^1] != '|')
            {
                error = string.Create(CultureInfo.InvariantCulture, $"node {j}'s group '{group}' must start and end with '|'");
                return false;
            }

            var items = group[1..^1].Split('|');
            if (items.Length != j)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"node {j} has {items.Length} inputs, expected {j}");
                return false;
            }

            for (var i = 0; i < j; i++)
            {
                var parts = items[i].Split('~');
                if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var from) || from != i)
                {
                    error = string.Create(CultureInfo.InvariantCulture, $"node {j} input {i} is '{items[i]}', expected 'op~{i}'");
                    return false;
                }

                var op = -1;
                for (var k = 0; k < OpCount; k++)
                {
                    if (string.Equals(parts[0], OpNames[k], StringComparison.Ordinal))
                    {
                        op = k;
                    }
                }

                if (op < 0)
                {
                    error = $"unknown op '{parts[0]}'";
                    return false;
                }

                ops[edge++] = (byte)op;
            }
        }

        cell = new Nb201Cell(ops);
        error = string.Empty;
        return true;
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        var edge = 0;
        for (var j = 1; j < NodeCount; j++)
        {
            if (j > 1)
            {
                sb.Append('+');
            }

            sb.Append('|');
            for (var i = 0; i < j; i++)
            {
                sb.Append(OpNames[_ops[edge++]]).Append('~').Append((char)('0' + i)).Append('|');
            }
        }

        return sb.ToString();
    }

    public bool Equals(Nb201Cell? other) => other is not null && _ops.AsSpan().SequenceEqual(other._ops);

    public override bool Equals(object? obj) => obj is Nb201Cell other && Equals(other);

    public override int GetHashCode() => CanonicalIndex;

    private static string Shorten(string? text) => text is null ? string.Empty : text.Length <= 80 ? text : text[..80] + "…";
}
