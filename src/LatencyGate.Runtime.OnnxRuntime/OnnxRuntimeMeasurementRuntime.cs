using LatencyGate.Diagnostics;
using LatencyGate.Measuring;
using LatencyGate.Networks;
using Microsoft.ML.OnnxRuntime;

namespace LatencyGate.Runtime.OnnxRuntime;

/// <summary>
/// ONNX Runtime (CPU execution provider) as a measuring runtime: the network is exported to ONNX
/// in memory (<see cref="OnnxExport"/>), loaded with every graph optimization (batch norm folds
/// into the convolutions) and run with <c>threads</c> intra-op threads, sequential execution,
/// input and output bound once so a timed run allocates nothing.
/// </summary>
internal sealed class OnnxRuntimeMeasurementRuntime : IMeasurementRuntime
{
    public const string RuntimeName = "onnxruntime";

    public string Name => RuntimeName;

    public string Version => Env().GetVersionString();

    public IPreparedNetwork Prepare(Network network, int batchSize, int threads, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(network);
        _ = Env();
        return new OnnxPreparedNetwork(OnnxExport.ToBytes(network, seed), network, batchSize, threads, seed);
    }

    /// <summary>The process-wide ONNX Runtime environment; LG0801 when its native library cannot be loaded.</summary>
    internal static OrtEnv Env()
    {
        try
        {
            return OrtEnv.Instance();
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException or OnnxRuntimeException)
        {
            throw new LatencyGateException(
                MeasuringErrors.RuntimeUnavailable,
                $"ONNX Runtime cannot be loaded on this machine ({ex.GetBaseException().Message}); it ships with the tool for linux-x64, linux-arm64, osx and win",
                exitCode: ExitCode.InvalidInput);
        }
    }
}
