namespace LatencyGate.Learning.WeightFiles;

internal enum WeightFileFormat
{
    Safetensors,
    TorchZip,
    TorchLegacy,
}
