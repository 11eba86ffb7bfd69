namespace LatencyGate.Learning.WeightFiles.Pickle;

// The only values the pickle machine can build. None of them carries code: a refused global never
// becomes a value, and an allowed one is a tag the machine interprets itself.

/// <summary>A Python dict or OrderedDict, in insertion order.</summary>
internal sealed class PickleDict
{
    private readonly List<KeyValuePair<object?, object?>> _items = [];
    private readonly Dictionary<object, int> _index = [];

    public IReadOnlyList<KeyValuePair<object?, object?>> Items => _items;

    public void Set(object? key, object? value)
    {
        // Scalar keys (strings, ints) replace as in Python; other keys are kept as distinct entries.
        if (key is string or long or double or bool && _index.TryGetValue(key, out var at))
        {
            _items[at] = new(key, value);
            return;
        }

        if (key is string or long or double or bool)
        {
            _index[key] = _items.Count;
        }

        _items.Add(new(key, value));
    }

    public object? this[string key] => _index.TryGetValue(key, out var at) ? _items[at].Value : null;
}

/// <summary>A Python tuple.</summary>
internal sealed record PickleTuple(object?[] Items);

/// <summary>A Python list.</summary>
internal sealed class PickleList
{
    public List<object?> Items { get; } = [];
}

/// <summary>The Python marker for "no value".</summary>
internal sealed class PickleNone
{
    public static readonly PickleNone Value = new();

    private PickleNone()
    {
    }
}

/// <summary>An allow-listed global, resolved to a tag (never to anything callable).</summary>
internal sealed record PickleGlobal(string Module, string Name, AllowedGlobal Kind, TensorDType? StorageDType)
{
    public string FullName => Module + "." + Name;
}

/// <summary>A storage named by a persistent id: its key in the file, element type and element count.</summary>
internal sealed record StorageRef(string Key, TensorDType DType, long ElementCount);

/// <summary>A tensor view of a storage, as torch._utils._rebuild_tensor_v2 describes it.</summary>
internal sealed record TensorRef(StorageRef Storage, long Offset, long[] Shape, long[] Strides);

/// <summary>What one pickle produced.</summary>
internal sealed record PickleResult(object? Value, int End, IReadOnlyList<StorageRef> Storages);
