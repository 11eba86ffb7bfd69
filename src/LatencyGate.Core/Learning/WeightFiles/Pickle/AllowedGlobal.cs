namespace LatencyGate.Learning.WeightFiles.Pickle;

internal enum AllowedGlobal
{
    OrderedDict,
    RebuildTensorV2,
    RebuildParameter,
    RebuildParameterWithState,
    TorchSize,
    TorchDevice,
    StorageType,
}
