using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using LatencyGate.Diagnostics;

namespace LatencyGate.Learning.WeightFiles.Pickle;

/// <summary>
/// A pickle interpreter for PyTorch state_dicts that executes nothing: it knows a fixed set of opcodes
/// (protocols 2–5, binary forms only) and builds plain values; GLOBAL resolves only allow-listed names
/// (<see cref="PickleAllowList"/>) to tags that REDUCE interprets itself. Every opcode consumes at least one
/// input byte and every length is checked against the bytes left, so work and memory are bounded by the
/// input length.
/// </summary>
internal sealed class PickleMachine
{
    private readonly byte[] _data;
    private readonly int _end;
    private readonly string _path;
    private readonly List<object?> _stack = [];
    private readonly List<int> _marks = [];
    private readonly Dictionary<long, object?> _memo = [];
    private readonly List<StorageRef> _storages = [];
    private int _pos;
    private int _opcodeAt;

    private PickleMachine(byte[] data, int start, int end, string path)
    {
        _data = data;
        _pos = start;
        _end = end;
        _path = path;
    }

    /// <summary>
    /// Runs one pickle starting at <paramref name="start"/>; returns its value, the offset just after STOP and
    /// every storage its persistent ids named (in order of first appearance).
    /// </summary>
    public static PickleResult Load(byte[] data, int start, string path)
    {
        ArgumentNullException.ThrowIfNull(data);
        var machine = new PickleMachine(data, start, data.Length, path);
        var value = machine.Run();
        return new PickleResult(value, machine._pos, machine._storages);
    }

    private object? Run()
    {
        while (true)
        {
            _opcodeAt = _pos;
            var op = ReadByte();
            switch (op)
            {
                case 0x80: // PROTO
                    var protocol = ReadByte();
                    if (protocol is < 2 or > 5)
                    {
                        throw Malformed($"pickle protocol {protocol} is not supported (expected 2..5).");
                    }

                    break;
                case 0x95: // FRAME: a framing hint only
                    var frame = ReadUInt64();
                    if (frame > (ulong)(_end - _pos))
                    {
                        throw Malformed("FRAME longer than the data.");
                    }

                    break;
                case (byte)'.': // STOP
                    if (_stack.Count == 0)
                    {
                        throw Malformed("STOP with an empty stack.");
                    }

                    return _stack[^1];
                case (byte)'(': // MARK
                    _marks.Add(_stack.Count);
                    break;
                case (byte)'0': // POP
                    Pop();
                    break;
                case (byte)'1': // POP_MARK
                    PopMark();
                    break;
                case (byte)'2': // DUP
                    Push(Peek());
                    break;
                case (byte)'}': // EMPTY_DICT
                    Push(new PickleDict());
                    break;
                case (byte)']': // EMPTY_LIST
                    Push(new PickleList());
                    break;
                case (byte)')': // EMPTY_TUPLE
                    Push(new PickleTuple([]));
                    break;
                case (byte)'d': // DICT
                    var dict = new PickleDict();
                    SetItems(dict, PopMark());
                    Push(dict);
                    break;
                case (byte)'l': // LIST
                    var list = new PickleList();
                    list.Items.AddRange(PopMark());
                    Push(list);
                    break;
                case (byte)'t': // TUPLE
                    Push(new PickleTuple(PopMark()));
                    break;
                case 0x85: // TUPLE1
                    Push(new PickleTuple([Pop()]));
                    break;
                case 0x86: // TUPLE2
                    var b2 = Pop();
                    Push(new PickleTuple([Pop(), b2]));
                    break;
                case 0x87: // TUPLE3
                    var c3 = Pop();
                    var b3 = Pop();
                    Push(new PickleTuple([Pop(), b3, c3]));
                    break;
                case (byte)'s': // SETITEM
                    var value = Pop();
                    var key = Pop();
                    AsDict(Peek(), "SETITEM").Set(key, value);
                    break;
                case (byte)'u': // SETITEMS
                    var items = PopMark();
                    SetItems(AsDict(Peek(), "SETITEMS"), items);
                    break;
                case (byte)'a': // APPEND
                    var item = Pop();
                    AsList(Peek(), "APPEND").Items.Add(item);
                    break;
                case (byte)'e': // APPENDS
                    var appended = PopMark();
                    AsList(Peek(), "APPENDS").Items.AddRange(appended);
                    break;
                case (byte)'q': // BINPUT
                    _memo[ReadByte()] = Peek();
                    break;
                case (byte)'r': // LONG_BINPUT
                    _memo[ReadUInt32()] = Peek();
                    break;
                case 0x94: // MEMOIZE
                    _memo[_memo.Count] = Peek();
                    break;
                case (byte)'h': // BINGET
                    Push(MemoGet(ReadByte()));
                    break;
                case (byte)'j': // LONG_BINGET
                    Push(MemoGet(ReadUInt32()));
                    break;
                case (byte)'J': // BININT
                    Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4)));
                    break;
                case (byte)'K': // BININT1
                    Push((long)ReadByte());
                    break;
                case (byte)'M': // BININT2
                    Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2)));
                    break;
                case 0x8a: // LONG1
                    Push(ReadLong(ReadByte()));
                    break;
                case 0x8b: // LONG4
                    var longLength = BinaryPrimitives.ReadInt32LittleEndian(Take(4));
                    if (longLength is < 0 or > 4096)
                    {
                        throw Malformed("LONG4 integer longer than 4096 bytes.");
                    }

                    Push(ReadLong(longLength));
                    break;
                case (byte)'G': // BINFLOAT (big-endian)
                    Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8)));
                    break;
                case 0x88: // NEWTRUE
                    Push(true);
                    break;
                case 0x89: // NEWFALSE
                    Push(false);
                    break;
                case (byte)'N': // NONE
                    Push(PickleNone.Value);
                    break;
                case (byte)'X': // BINUNICODE
                    Push(Encoding.UTF8.GetString(Take(ReadLength(ReadUInt32()))));
                    break;
                case 0x8c: // SHORT_BINUNICODE
                    Push(Encoding.UTF8.GetString(Take(ReadByte())));
                    break;
                case 0x8d: // BINUNICODE8
                    Push(Encoding.UTF8.GetString(Take(ReadLength(ReadUInt64()))));
                    break;
                case (byte)'T': // BINSTRING (Python 2 str)
                    Push(Encoding.Latin1.GetString(Take(ReadLength(ReadUInt32()))));
                    break;
                case (byte)'U': // SHORT_BINSTRING
                    Push(Encoding.Latin1.GetString(Take(ReadByte())));
                    break;
                case (byte)'B': // BINBYTES
                    Push(Take(ReadLength(ReadUInt32())).ToArray());
                    break;
                case (byte)'C': // SHORT_BINBYTES
                    Push(Take(ReadByte()).ToArray());
                    break;
                case 0x8e: // BINBYTES8
                    Push(Take(ReadLength(ReadUInt64())).ToArray());
                    break;
                case (byte)'c': // GLOBAL "module\nname\n"
                    var module = ReadLine();
                    Push(ResolveGlobal(module, ReadLine()));
                    break;
                case 0x93: // STACK_GLOBAL
                    var name = Pop() as string ?? throw Malformed("STACK_GLOBAL needs two strings.");
                    var stackModule = Pop() as string ?? throw Malformed("STACK_GLOBAL needs two strings.");
                    Push(ResolveGlobal(stackModule, name));
                    break;
                case (byte)'R': // REDUCE
                case 0x81: // NEWOBJ
                    var args = Pop() as PickleTuple ?? throw Malformed("REDUCE/NEWOBJ arguments must be a tuple.");
                    var callable = Pop() as PickleGlobal ?? throw Malformed("REDUCE/NEWOBJ on something that is not an allowed global.");
                    Push(Reduce(callable, args.Items));
                    break;
                case (byte)'b': // BUILD
                    Pop();
                    if (Peek() is not (PickleDict or TensorRef))
                    {
                        throw Malformed("BUILD on something other than a dict or tensor.");
                    }

                    // A state_dict's BUILD state is its _metadata attribute (module versions); tensors' is
                    // hooks or flags. Neither changes the weights.
                    break;
                case (byte)'Q': // BINPERSID
                    Push(PersistentLoad(Pop()));
                    break;
                default:
                    throw WeightFileError.At(_path, WeightFileCodes.PickleOpcodeUnsupported, string.Create(
                        CultureInfo.InvariantCulture,
                        $"Pickle opcode 0x{op:x2} ('{OpcodeText(op)}') at byte {_opcodeAt} is not one LatencyGate reads; only state_dicts of tensors are accepted."));
            }
        }
    }

    private PickleGlobal ResolveGlobal(string module, string name) =>
        PickleAllowList.Resolve(module, name)
        ?? throw WeightFileError.At(_path, WeightFileCodes.PickleGlobalRefused, string.Create(
            CultureInfo.InvariantCulture,
            $"The pickle names the global '{module}.{name}' (byte {_opcodeAt}), which is not allowed; refusing the file without running anything. Allowed: {string.Join(", ", PickleAllowList.Names)}."));

    private object? Reduce(PickleGlobal callable, object?[] args)
    {
        switch (callable.Kind)
        {
            case AllowedGlobal.OrderedDict:
                var dict = new PickleDict();
                if (args.Length == 1 && args[0] is PickleList pairs)
                {
                    foreach (var pair in pairs.Items)
                    {
                        var kv = pair as PickleTuple;
                        if (kv is null || kv.Items.Length != 2)
                        {
                            throw Malformed("OrderedDict items must be pairs.");
                        }

                        dict.Set(kv.Items[0], kv.Items[1]);
                    }
                }
                else if (args.Length != 0)
                {
                    throw Malformed("unexpected OrderedDict arguments.");
                }

                return dict;
            case AllowedGlobal.RebuildTensorV2:
                if (args.Length < 4 || args[0] is not StorageRef storage || args[1] is not long offset
                    || args[2] is not PickleTuple size || args[3] is not PickleTuple stride || size.Items.Length != stride.Items.Length)
                {
                    throw Malformed("_rebuild_tensor_v2 expects (storage, offset, size, stride, ...).");
                }

                return new TensorRef(storage, offset, Longs(size), Longs(stride));
            case AllowedGlobal.RebuildParameter:
            case AllowedGlobal.RebuildParameterWithState:
                return args.Length >= 1 && args[0] is TensorRef tensor
                    ? tensor
                    : throw Malformed("_rebuild_parameter expects a tensor.");
            case AllowedGlobal.TorchSize:
                return args.Length == 1 && args[0] is PickleTuple dims ? dims : throw Malformed("torch.Size expects a tuple.");
            case AllowedGlobal.TorchDevice:
                return args.Length >= 1 && args[0] is string device ? device : throw Malformed("torch.device expects a name.");
            default:
                throw Malformed($"'{callable.FullName}' may only appear in a storage persistent id.");
        }
    }

    private StorageRef PersistentLoad(object? pid)
    {
        // torch.save writes ('storage', storage_type, key, location, numel[, view_metadata]).
        if (pid is not PickleTuple t || t.Items.Length is < 5 or > 6 || t.Items[0] is not "storage"
            || t.Items[1] is not PickleGlobal { Kind: AllowedGlobal.StorageType } type
            || t.Items[2] is not string key || t.Items[4] is not long count || count < 0)
        {
            throw Malformed("a persistent id that is not ('storage', type, key, location, numel).");
        }

        if (t.Items.Length == 6 && t.Items[5] is not PickleNone)
        {
            throw WeightFileError.At(_path, WeightFileCodes.UnsupportedTensorType, $"Storage '{key}' is a view of another storage (pre-1.0 PyTorch), which LatencyGate does not read.");
        }

        var storage = new StorageRef(key, type.StorageDType!.Value, count);
        var known = _storages.Find(s => s.Key == key);
        if (known is null)
        {
            _storages.Add(storage);
        }
        else if (known != storage)
        {
            throw Malformed($"storage '{key}' is described twice, differently.");
        }

        return storage;
    }

    private long[] Longs(PickleTuple tuple) =>
        [.. tuple.Items.Select(x => x as long? ?? throw Malformed("tensor sizes and strides must be integers."))];

    private void SetItems(PickleDict dict, object?[] items)
    {
        if (items.Length % 2 != 0)
        {
            throw Malformed("SETITEMS with an odd number of items.");
        }

        for (var i = 0; i < items.Length; i += 2)
        {
            dict.Set(items[i], items[i + 1]);
        }
    }

    private PickleDict AsDict(object? o, string opcode) => o as PickleDict ?? throw Malformed($"{opcode} on something that is not a dict.");

    private PickleList AsList(object? o, string opcode) => o as PickleList ?? throw Malformed($"{opcode} on something that is not a list.");

    private object? MemoGet(long index) =>
        _memo.TryGetValue(index, out var v) ? v : throw Malformed(string.Create(CultureInfo.InvariantCulture, $"memo entry {index} used before it was stored."));

    private void Push(object? value) => _stack.Add(value);

    private object? Peek() => _stack.Count > (_marks.Count == 0 ? 0 : _marks[^1])
        ? _stack[^1]
        : throw Malformed("stack underflow.");

    private object? Pop()
    {
        var v = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return v;
    }

    private object?[] PopMark()
    {
        if (_marks.Count == 0)
        {
            throw Malformed("no MARK to pop to.");
        }

        var at = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        var items = _stack.GetRange(at, _stack.Count - at).ToArray();
        _stack.RemoveRange(at, _stack.Count - at);
        return items;
    }

    private object ReadLong(int length)
    {
        var bytes = Take(length);
        if (length == 0)
        {
            return 0L;
        }

        if (length <= 8)
        {
            long v = 0;
            for (var i = length - 1; i >= 0; i--)
            {
                v = (v << 8) | bytes[i];
            }

            // Sign-extend from the top byte written.
            var shift = 64 - (8 * length);
            return shift == 0 ? v : (v << shift) >> shift;
        }

        return new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
    }

    private int ReadLength(ulong length) =>
        length <= (ulong)(_end - _pos) ? (int)length : throw Malformed("a string or bytes longer than the data.");

    private string ReadLine()
    {
        var limit = Math.Min(_end, _pos + 512);
        var at = Array.IndexOf(_data, (byte)'\n', _pos, limit - _pos);
        if (at < 0)
        {
            throw Malformed("GLOBAL name not terminated within 512 bytes.");
        }

        var line = Encoding.UTF8.GetString(_data, _pos, at - _pos);
        _pos = at + 1;
        return line;
    }

    private byte ReadByte() => Take(1)[0];

    private uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    private ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _end - _pos)
        {
            throw Malformed("the pickle ends too early.");
        }

        var span = _data.AsSpan(_pos, count);
        _pos += count;
        return span;
    }

    private LatencyGateException Malformed(string what) =>
        WeightFileError.At(_path, WeightFileCodes.PickleMalformed, string.Create(
            CultureInfo.InvariantCulture, $"Malformed pickle at byte {_opcodeAt}: {what}"));

    private static string OpcodeText(byte op) => op is >= 0x20 and < 0x7f ? ((char)op).ToString() : "\\x" + op.ToString("x2", CultureInfo.InvariantCulture);
}
