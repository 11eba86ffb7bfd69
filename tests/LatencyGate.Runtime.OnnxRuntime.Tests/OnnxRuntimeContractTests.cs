using LatencyGate.Measuring;
using LatencyGate.Runtime.OnnxRuntime;
using LatencyGate.Tests.Runtimes;

namespace LatencyGate.Tests.OnnxRuntime;

public sealed class OnnxRuntimeContractTests : MeasurementRuntimeContract
{
    private protected override IMeasurementRuntime CreateRuntime() => new OnnxRuntimeMeasurementRuntime();

    private protected override float[] RunAndReadOutput(IPreparedNetwork prepared)
    {
        var onnx = (OnnxPreparedNetwork)prepared;
        onnx.RunOnce();
        return onnx.Output.ToArray();
    }
}
