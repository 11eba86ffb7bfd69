using LatencyGate.Measuring;
using LatencyGate.Runtime.OnnxRuntime;

namespace LatencyGate.Cli;

/// <summary>The measuring runtimes this tool ships; a new runtime registers here.</summary>
internal static class MeasuringRuntimes
{
    public static RuntimeRegistry Create() =>
        new RuntimeRegistry()
            .Register(OnnxRuntimeMeasurementRuntime.RuntimeName, () => new OnnxRuntimeMeasurementRuntime())
            .Register("torch", () => Commands.TorchHost.MeasurementRuntime(cuda: false))
            .Register("torch-cuda", () => Commands.TorchHost.MeasurementRuntime(cuda: true));
}
