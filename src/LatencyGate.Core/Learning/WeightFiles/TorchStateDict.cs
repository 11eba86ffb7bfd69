using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Learning.WeightFiles.Pickle;

namespace LatencyGate.Learning.WeightFiles;

/// <summary>Finds the state_dict in an unpickled checkpoint and turns its tensor views into float tensors.</summary>
internal static class TorchStateDict
{
    /// <summary>Keys under which training scripts commonly nest the model's state_dict, tried in this order.</summary>
    private static readonly string[] NestedKeys = ["state_dict", "model_state_dict", "model", "net", "network", "params"];

    public static IReadOnlyList<(string Name, TensorRef Tensor)> Select(object? root, string path)
    {
        if (root is not PickleDict dict)
        {
            throw WeightFileError.At(path, WeightFileCodes.NoStateDict, "The checkpoint does not hold a dictionary of tensors (a state_dict).");
        }

        var chosen = NestedKeys.Select(k => dict[k] as PickleDict).FirstOrDefault(d => d is not null && HasTensors(d));
        if (chosen is null && HasTensors(dict))
        {
            chosen = dict;
        }

        if (chosen is null)
        {
            var nested = dict.Items.Select(p => p.Value).OfType<PickleDict>().Where(HasTensors).ToList();
            chosen = nested.Count == 1 ? nested[0] : null;
        }

        if (chosen is null)
        {
            var keys = string.Join(", ", dict.Items.Select(p => p.Key?.ToString()));
            throw WeightFileError.At(path, WeightFileCodes.NoStateDict, $"No state_dict of tensors found in the checkpoint (top-level keys: {keys}).");
        }

        // Non-tensor entries (epoch numbers, flags) and non-string keys are not weights: skipped.
        return [.. chosen.Items.Where(p => p.Key is string && p.Value is TensorRef).Select(p => ((string)p.Key!, (TensorRef)p.Value!))];
    }

    private static bool HasTensors(PickleDict d) => d.Items.Any(p => p.Value is TensorRef);

    /// <summary>
    /// Copies each view out of its storage after checking that it stays inside it. A view may not hold
    /// more elements than its storage, so allocations stay bounded by the file's size.
    /// </summary>
    public static List<NamedTensor> Materialize(
        IReadOnlyList<(string Name, TensorRef Tensor)> tensors, Func<StorageRef, ReadOnlyMemory<byte>> storageBytes, string path)
    {
        var result = new List<NamedTensor>(tensors.Count);
        foreach (var (name, tensor) in tensors)
        {
            var shape = CheckView(name, tensor, path);
            var bytes = storageBytes(tensor.Storage);
            result.Add(new NamedTensor(name, shape, TensorDecoding.Gather(bytes.Span, tensor.Storage.DType, tensor.Offset, shape, tensor.Strides, path, name)));
        }

        return result;
    }

    private static int[] CheckView(string name, TensorRef t, string path)
    {
        var storage = t.Storage;
        var describe = string.Create(CultureInfo.InvariantCulture,
            $"Tensor '{name}' (offset {t.Offset}, shape [{string.Join(", ", t.Shape)}], stride [{string.Join(", ", t.Strides)}])");
        if (t.Offset < 0 || t.Shape.Any(d => d is < 0 or > int.MaxValue) || t.Strides.Any(s => s < 0))
        {
            throw Overrun(path, describe + " has a negative offset, size or stride, or a size beyond 2^31.");
        }

        long count = 1;
        long last = t.Offset;
        try
        {
            for (var d = 0; d < t.Shape.Length; d++)
            {
                count = checked(count * t.Shape[d]);
                if (t.Shape[d] > 0)
                {
                    last = checked(last + ((t.Shape[d] - 1) * t.Strides[d]));
                }
            }
        }
        catch (OverflowException)
        {
            throw Overrun(path, describe + " is larger than any storage.");
        }

        if (count > 0 && (last >= storage.ElementCount || count > storage.ElementCount))
        {
            throw Overrun(path, describe + string.Create(CultureInfo.InvariantCulture,
                $" overruns its storage '{storage.Key}', which holds {storage.ElementCount} elements (the view reaches element {last}, {count} elements)."));
        }

        return [.. t.Shape.Select(d => (int)d)];
    }

    private static Diagnostics.LatencyGateException Overrun(string path, string message) =>
        WeightFileError.At(path, WeightFileCodes.TensorOverrunsStorage, message);
}
