using System.Runtime.CompilerServices;
using LatencyGate.Adaptation;
using LatencyGate.Diagnostics;
using LatencyGate.Torch;

namespace LatencyGate.Cli.Commands;

/// <summary>
/// The CLI's door to libtorch. Every use of LatencyGate.Torch goes through here, in methods that are
/// never inlined, so no other command loads TorchSharp, and a machine without libtorch runs every
/// other command.
/// </summary>
internal static class TorchHost
{
    public static readonly IReadOnlyList<string> EngineNames = ManagedTrainingEngine.EngineNames;

    /// <summary>The engine named by <c>--engine</c> (or a manifest's <c>engine:</c>); libtorch is loaded for <c>torch</c> (LG0850–LG0852 when it cannot be).</summary>
    public static ITrainingEngine Engine(string? name, SourceLocation? location = null) => name?.ToLowerInvariant() switch
    {
        null or ManagedTrainingEngine.EngineName => ManagedTrainingEngine.Instance,
        "torch" => TorchEngine(),
        _ => throw new LatencyGateException(EngineErrors.UnknownEngine, $"unknown training engine '{EchoText.Cut(name)}'{DidYouMean.Hint(name, EngineNames)}; expected {string.Join(" or ", EngineNames)}", location),
    };

    /// <summary>libtorch as a measuring runtime (CPU, or the first CUDA device); LG0850–LG0852, LG0854 when unavailable.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Measuring.IMeasurementRuntime MeasurementRuntime(bool cuda) => new TorchMeasurementRuntime(TorchEnvironment.FromProcess(), cuda);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static TorchStatus Status() => TorchRuntime.Load(TorchEnvironment.FromProcess());

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ITrainingEngine TorchEngine()
    {
        TorchRuntime.Require(TorchEnvironment.FromProcess());
        return new TorchTrainingEngine(threads: 1);
    }
}
