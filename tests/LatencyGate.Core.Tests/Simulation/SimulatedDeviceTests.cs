using LatencyGate.Simulation;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Simulation;

public sealed class SimulatedDeviceTests
{
    private static Arch Uniform(int k, int e, int d, int r) =>
        Arch.Create(Enumerable.Repeat(k, 20).ToArray(), Enumerable.Repeat(e, 20).ToArray(), Enumerable.Repeat(d, 5).ToArray(), r);

    [Fact]
    public void Bigger_networks_are_slower_on_every_preset()
    {
        var small = Uniform(3, 3, 2, 128);
        var large = Uniform(7, 6, 4, 224);
        foreach (var device in SimulatedDevice.Presets)
        {
            device.NetworkMs(small, OfaSpace.W12).ShouldBeLessThan(device.NetworkMs(large, OfaSpace.W12), device.Name);
        }
    }

    [Fact]
    public void Measurements_are_deterministic_and_noisy_around_the_model()
    {
        SimulatedDevice.TryGetPreset("sim-phone-mid", out var device).ShouldBeTrue();
        var arch = Uniform(5, 4, 3, 192);
        var a = device.MeasureMs(arch, OfaSpace.W12, seed: 7);
        device.MeasureMs(arch, OfaSpace.W12, seed: 7).ShouldBe(a);
        device.MeasureMs(arch, OfaSpace.W12, seed: 7, repeat: 1).ShouldNotBe(a);
        var model = device.NetworkMs(arch, OfaSpace.W12);
        (Math.Abs(Math.Log(a / model)) < 5 * device.NoiseSigma).ShouldBeTrue();
    }

    [Fact]
    public void Batch_size_scales_work()
    {
        SimulatedDevice.TryGetPreset("sim-server-gpu-b32", out var b32).ShouldBeTrue();
        SimulatedDevice.TryGetPreset("sim-server-gpu-b64", out var b64).ShouldBeTrue();
        var arch = Uniform(5, 4, 3, 224);
        b64.NetworkMs(arch, OfaSpace.W12).ShouldBeGreaterThan(1.5 * b32.NetworkMs(arch, OfaSpace.W12));
    }
}
