namespace LatencyGate.Numerics;

/// <summary>A sparse design matrix in compressed-row form (indices ascending within a row).</summary>
internal sealed class SparseRows
{
    private readonly List<int> _rowStart = [0];
    private readonly List<int> _index = [];
    private readonly List<double> _value = [];

    public SparseRows(int columns) => Columns = columns;

    public int Columns { get; }

    public int Count => _rowStart.Count - 1;

    public void AddRow(ReadOnlySpan<(int Index, double Value)> entries)
    {
        foreach (var (index, value) in entries)
        {
            if ((uint)index >= (uint)Columns)
            {
                throw new ArgumentOutOfRangeException(nameof(entries), $"column {index} outside 0..{Columns - 1}");
            }

            if (value != 0.0)
            {
                _index.Add(index);
                _value.Add(value);
            }
        }

        _rowStart.Add(_index.Count);
    }

    public int RowLength(int row) => _rowStart[row + 1] - _rowStart[row];

    public (int Index, double Value) Entry(int row, int k)
    {
        var p = _rowStart[row] + k;
        return (_index[p], _value[p]);
    }

    public double Dot(int row, ReadOnlySpan<double> weights)
    {
        var sum = 0.0;
        for (var p = _rowStart[row]; p < _rowStart[row + 1]; p++)
        {
            sum += _value[p] * weights[_index[p]];
        }

        return sum;
    }
}
