using LatencyGate.Measuring;
using LatencyGate.Runtime.OnnxRuntime;
using LatencyGate.Tests.Runtimes;

namespace LatencyGate.Tests.OnnxRuntime;

public sealed class OnnxRuntimeContractTests : MeasurementRuntimeContract
{
    protected override IMeasurementRuntime CreateRuntime() => new OnnxRuntimeMeasurementRuntime();

    protected override float[] RunAndReadOutput(IPreparedNetwork prepared)
    {
        var onnx = (OnnxPreparedNetwork)prepared;
        onnx.RunOnce();
        return onnx.Output.ToArray();
    }
}
