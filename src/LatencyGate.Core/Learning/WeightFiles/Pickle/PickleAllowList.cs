namespace LatencyGate.Learning.WeightFiles.Pickle;

/// <summary>
/// The globals a state_dict of tensors needs, and nothing else. Anything not listed here is refused when
/// the pickle names it, before any later opcode runs.
/// </summary>
internal static class PickleAllowList
{
    private static readonly Dictionary<string, (AllowedGlobal Kind, TensorDType? DType)> Allowed = new(StringComparer.Ordinal)
    {
        ["collections.OrderedDict"] = (AllowedGlobal.OrderedDict, null),
        ["torch._utils._rebuild_tensor_v2"] = (AllowedGlobal.RebuildTensorV2, null),
        ["torch._utils._rebuild_parameter"] = (AllowedGlobal.RebuildParameter, null),
        ["torch._utils._rebuild_parameter_with_state"] = (AllowedGlobal.RebuildParameterWithState, null),
        ["torch.Size"] = (AllowedGlobal.TorchSize, null),
        ["torch.device"] = (AllowedGlobal.TorchDevice, null),
        ["torch.FloatStorage"] = (AllowedGlobal.StorageType, TensorDType.F32),
        ["torch.DoubleStorage"] = (AllowedGlobal.StorageType, TensorDType.F64),
        ["torch.HalfStorage"] = (AllowedGlobal.StorageType, TensorDType.F16),
        ["torch.BFloat16Storage"] = (AllowedGlobal.StorageType, TensorDType.BF16),
        ["torch.LongStorage"] = (AllowedGlobal.StorageType, TensorDType.I64),
        ["torch.IntStorage"] = (AllowedGlobal.StorageType, TensorDType.I32),
        ["torch.ShortStorage"] = (AllowedGlobal.StorageType, TensorDType.I16),
        ["torch.CharStorage"] = (AllowedGlobal.StorageType, TensorDType.I8),
        ["torch.ByteStorage"] = (AllowedGlobal.StorageType, TensorDType.U8),
        ["torch.BoolStorage"] = (AllowedGlobal.StorageType, TensorDType.Bool),
    };

    public static IEnumerable<string> Names => Allowed.Keys.Order(StringComparer.Ordinal);

    public static PickleGlobal? Resolve(string module, string name) =>
        Allowed.TryGetValue(module + "." + name, out var found) ? new PickleGlobal(module, name, found.Kind, found.DType) : null;
}
