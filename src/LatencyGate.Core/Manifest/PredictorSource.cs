using LatencyGate.Adaptation;
using LatencyGate.Diagnostics;

namespace LatencyGate.Manifest;

/// <summary>Where a device's latency predictor comes from (one key under a device's <c>predictor</c>).</summary>
internal abstract record PredictorSource(SourceLocation Location)
{
    /// <summary>The manifest key naming this kind of source.</summary>
    public abstract string Kind { get; }
}

/// <summary>An OFA lookup-table folder (<c>{r}_lookup_table.yaml</c> per resolution).</summary>
internal sealed record LutSource(PathRef Directory, SourceLocation Location) : PredictorSource(Location)
{
    public override string Kind => "lut";

    /// <summary>Interpolate between the two nearest tables for a resolution without one (the manifest's twin of <c>--interpolate</c>).</summary>
    public bool Interpolate { get; init; }
}

/// <summary>A trained predictor file (safetensors, or a read-only PyTorch checkpoint).</summary>
internal sealed record FileSource(PathRef File, SourceLocation Location) : PredictorSource(Location)
{
    public override string Kind => "file";
}

/// <summary>A base predictor adapted to this device from a few measurements.</summary>
internal sealed record FinetuneSource(
    PathRef Base,
    PathRef Measurements,
    Located<string> Strategy,
    Located<int>? Shots,
    Located<string>? LatencyColumn,
    SourceLocation Location) : PredictorSource(Location)
{
    public static IReadOnlyList<string> Strategies { get; } = ["auto", "head", "full", "affine", "adaproxy", "constant", "rescale", SourcePriorStrategy.StrategyName];

    public override string Kind => "finetune";

    /// <summary>The training engine that fits the adaptation (<c>managed</c>, the default, or <c>torch</c>); null when not named.</summary>
    public Located<string>? Engine { get; init; }
}

/// <summary>A hardware-generalized predictor evaluated at this device's hardware specs.</summary>
internal sealed record GeneralizedSource(PathRef Predictor, HardwareSpec Hardware, SourceLocation Location) : PredictorSource(Location)
{
    public override string Kind => "generalized";
}

/// <summary>Another device of the manifest used as proxy, checked (and adapted) on this device's measurements.</summary>
internal sealed record ProxySource(Located<string> Device, PathRef Measurements, Located<string>? LatencyColumn, SourceLocation Location) : PredictorSource(Location)
{
    public override string Kind => "proxy";

    /// <summary>The training engine that fits the proxy's adaptation (<c>managed</c>, the default, or <c>torch</c>); null when not named.</summary>
    public Located<string>? Engine { get; init; }
}

/// <summary>A base predictor (file or LUT folder) whose intervals are calibrated on this device's measurements.</summary>
internal sealed record CalibrateSource(PathRef Base, PathRef Measurements, Located<string>? LatencyColumn, SourceLocation Location) : PredictorSource(Location)
{
    public override string Kind => "calibrate";
}

/// <summary>
/// The device is the machine running the gate: the arch is measured with a runtime (ONNX Runtime)
/// rather than predicted. In search mode the nested <see cref="Predictor"/> searches and the pick is
/// measured. A measured interval that straddles the budget is <em>inconclusive</em>, which
/// <see cref="Inconclusive"/> maps to <c>warn</c> or <c>fail</c>.
/// </summary>
internal sealed record MeasureSource(
    Located<string> Runtime,
    int Threads,
    int Warmup,
    int Runs,
    int Passes,
    Located<string> Inconclusive,
    PredictorSource? Predictor,
    SourceLocation Location) : PredictorSource(Location)
{
    public static IReadOnlyList<string> InconclusiveChoices { get; } = ["fail", "warn"];

    public override string Kind => "measure";

    public bool InconclusiveFails => Inconclusive.Value == "fail";
}
