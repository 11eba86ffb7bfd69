namespace LatencyGate.Learning.WeightFiles;

/// <summary>Element types the readers convert to float32.</summary>
internal enum TensorDType
{
    F32,
    F64,
    F16,
    BF16,
    I64,
    I32,
    I16,
    I8,
    U8,
    Bool,
}
