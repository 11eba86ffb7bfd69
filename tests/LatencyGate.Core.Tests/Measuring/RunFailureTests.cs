using LatencyGate.Diagnostics;
using LatencyGate.Measuring;
using LatencyGate.Networks;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Measuring;

/// <summary>
/// A network too big for memory at the user's batch size is the user's setting (LG0808, exit 2, with
/// the runtime's words and what to change); any other runtime failure stays LG0806, an internal error.
/// </summary>
public sealed class RunFailureTests
{
    private static readonly Network Network = OfaNetwork.Build(AnchorReference.For(OfaSpace.W12), OfaSpace.W12);

    [Theory]
    [InlineData("onnxruntime", "[ErrorCode:RuntimeException] Failed to allocate memory for requested buffer of size 2408448000")]
    [InlineData("torch", "[enforce fail at alloc_cpu.cpp:118] data. DefaultCPUAllocator: not enough memory: you tried to allocate 9633792000 bytes.")]
    public void Out_of_memory_in_a_runtime_is_LG0808_exit_2_naming_the_batch_size(string runtime, string message)
    {
        var ex = Should.Throw<LatencyGateException>(() => ArchTimer.TimePass(new Failing(runtime, new InvalidOperationException(message)), Network, new MeasurementProtocol(BatchSize: 4096), pass: 0));

        ex.Diagnostics[0].Code.ShouldBe(MeasuringErrors.OutOfMemory);
        ex.ExitCode.ShouldBe(ExitCode.InvalidInput);
        ex.Diagnostics[0].Message.ShouldContain("batch size 4096");
        ex.Diagnostics[0].Message.ShouldContain("--batch-size");
    }

    [Fact]
    public void Dotnet_out_of_memory_inside_a_runtime_error_is_LG0808_too() =>
        Should.Throw<LatencyGateException>(() => ArchTimer.TimePass(new Failing("onnxruntime", new InvalidOperationException("wrapped", new OutOfMemoryException())), Network, new MeasurementProtocol(), pass: 0))
            .Diagnostics[0].Code.ShouldBe(MeasuringErrors.OutOfMemory);

    [Fact]
    public void Another_runtime_failure_stays_LG0806_an_internal_error()
    {
        var ex = Should.Throw<LatencyGateException>(() => ArchTimer.TimePass(new Failing("onnxruntime", new InvalidOperationException("[ErrorCode:Fail] Non-zero status code returned while running Conv node")), Network, new MeasurementProtocol(), pass: 0));

        ex.Diagnostics[0].Code.ShouldBe(MeasuringErrors.RunFailed);
        ex.ExitCode.ShouldBe(ExitCode.InternalError);
    }

    private sealed class Failing(string name, Exception failure) : IMeasurementRuntime
    {
        public string Name => name;

        public string Version => "test";

        public IPreparedNetwork Prepare(Network network, int batchSize, int threads, ulong seed) => throw failure;
    }
}
