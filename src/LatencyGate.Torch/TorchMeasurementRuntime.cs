using LatencyGate.Diagnostics;
using LatencyGate.Measuring;
using LatencyGate.Networks;
using TorchSharp;

namespace LatencyGate.Torch;

/// <summary>
/// libtorch as a measuring runtime (<c>measure --runtime torch</c>): the network description built as
/// TorchSharp operations (batch norm folded into the convolutions, as ONNX Runtime's optimizer does),
/// run under inference mode with <c>threads</c> intra-op threads. <c>torch-cuda</c> runs on the first
/// CUDA device where a CUDA libtorch is present (compiled and documented; not testable on a CPU machine).
/// OMP_WAIT_POLICY=PASSIVE is set before libtorch loads (<see cref="TorchRuntime"/>): with OpenMP's
/// default spinning, 2 threads on a loaded machine collapsed to 135–677 ms per pass.
/// </summary>
internal sealed class TorchMeasurementRuntime : IMeasurementRuntime
{
    public const string CpuName = "torch";
    public const string CudaName = "torch-cuda";

    private readonly bool _cuda;

    public TorchMeasurementRuntime(TorchEnvironment environment, bool cuda = false)
    {
        TorchRuntime.Require(environment);
        _cuda = cuda;
        if (cuda && !torch.cuda.is_available())
        {
            throw new LatencyGateException(TorchErrors.CudaUnavailable, $"runtime '{CudaName}' needs a CUDA build of libtorch {TorchEnvironment.LibTorchVersion} and a CUDA device; the libtorch found is CPU-only or sees no device (use --runtime {CpuName})");
        }
    }

    public string Name => _cuda ? CudaName : CpuName;

    public string Version => $"libtorch {TorchEnvironment.LibTorchVersion} (TorchSharp {TorchEnvironment.TorchSharpVersion}, {(_cuda ? "CUDA" : "CPU")})";

    public IPreparedNetwork Prepare(Network network, int batchSize, int threads, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(network);
        torch.set_num_threads(Math.Max(1, threads));
        return new TorchPreparedNetwork(network, batchSize, seed, _cuda ? torch.CUDA : torch.CPU);
    }
}
