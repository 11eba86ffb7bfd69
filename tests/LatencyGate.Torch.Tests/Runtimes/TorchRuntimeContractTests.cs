using LatencyGate.Measuring;
using LatencyGate.Networks;
using LatencyGate.Runtime.OnnxRuntime;
using LatencyGate.Spaces;
using LatencyGate.Tests.Runtimes;
using LatencyGate.Torch;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Runtimes;

/// <summary>The measuring-runtime suite on libtorch, plus: the same network and seed give ONNX Runtime's logits.</summary>
public sealed class TorchRuntimeContractTests : MeasurementRuntimeContract
{
    private protected override IMeasurementRuntime CreateRuntime()
    {
        TorchFixture.Engine();
        return new TorchMeasurementRuntime(TorchEnvironment.FromProcess());
    }

    private protected override float[] RunAndReadOutput(IPreparedNetwork prepared)
    {
        var torch = (TorchPreparedNetwork)prepared;
        torch.RunOnce();
        return torch.Output.ToArray();
    }

    [Fact]
    public void The_same_network_and_seed_give_onnx_runtimes_logits()
    {
        var network = OfaNetwork.Build(Arch.Create(Enumerable.Repeat(5, 20).ToArray(), Enumerable.Repeat(4, 20).ToArray(), [2, 3, 2, 3, 2], 128), OfaSpace.W12);
        using var torch = (TorchPreparedNetwork)CreateRuntime().Prepare(network, 2, threads: 1, seed: 5);
        using var onnx = (OnnxPreparedNetwork)new OnnxRuntimeMeasurementRuntime().Prepare(network, 2, threads: 1, seed: 5);
        torch.RunOnce();
        onnx.RunOnce();
        var a = torch.Output.ToArray();
        var b = onnx.Output.ToArray();
        a.Length.ShouldBe(b.Length);
        var scale = b.Max(Math.Abs);
        for (var i = 0; i < a.Length; i++)
        {
            a[i].ShouldBe(b[i], 1e-3 * scale, $"logit {i}");
        }
    }

    [Fact]
    public void OpenMp_waits_passively_once_libtorch_is_loaded()
    {
        TorchFixture.Engine();
        Environment.GetEnvironmentVariable("OMP_WAIT_POLICY").ShouldBe("PASSIVE");
    }
}
