namespace LatencyGate.Learning.WeightFiles;

/// <summary>
/// What a LatencyGate predictor file says about itself (design: "Predictor files"). Stored as the
/// safetensors <c>__metadata__</c> string map; <see cref="Extra"/> carries model-specific fields.
/// </summary>
/// <param name="Space">Search space name, e.g. <c>ofa-mbv3-w12</c>.</param>
/// <param name="Encoding">How an arch becomes the model's input vector.</param>
/// <param name="ModelKind">E.g. <c>mlp</c>, <c>additive</c>.</param>
/// <param name="InputNormalization">How inputs are normalized (parameters may live in tensors).</param>
/// <param name="TargetNormalization">How targets are normalized.</param>
/// <param name="Unit">Unit of the prediction, <c>ms</c> for latency.</param>
/// <param name="BatchSize">Batch size the latencies were measured at, when known.</param>
/// <param name="DeviceName">Device the predictor was trained for.</param>
/// <param name="TrainingDataSha256">Hex sha256 of the training data file, when trained here.</param>
/// <param name="TrainingMetrics">Metric name to value (e.g. test MAE), round-tripped exactly.</param>
/// <param name="Extra">Model-specific string fields; keys must not clash with the reserved ones.</param>
internal sealed record PredictorFileMetadata(
    string Space,
    string Encoding,
    string ModelKind,
    string InputNormalization,
    string TargetNormalization,
    string Unit,
    int? BatchSize,
    string? DeviceName,
    string? TrainingDataSha256,
    IReadOnlyDictionary<string, double> TrainingMetrics,
    IReadOnlyDictionary<string, string> Extra)
{
    public const string FormatName = "latency-gate/predictor";
    public const int CurrentVersion = 1;
}
