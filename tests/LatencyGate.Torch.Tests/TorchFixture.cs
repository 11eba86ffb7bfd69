using LatencyGate.Torch;

namespace LatencyGate.Tests;

/// <summary>libtorch loaded once for the test process, as the CLI loads it (discovery, compat step, preload).</summary>
internal static class TorchFixture
{
    private static readonly Lazy<TorchStatus> Loaded = new(() => TorchRuntime.Load(TorchEnvironment.FromProcess()));

    /// <summary>The status; tests fail (never skip) when libtorch does not load: CI must prove it does.</summary>
    public static TorchStatus Status => Loaded.Value;

    public static TorchTrainingEngine Engine()
    {
        var status = Status;
        if (!status.Available)
        {
            throw new InvalidOperationException("libtorch did not load: " + status.Describe());
        }

        return new TorchTrainingEngine(threads: 1);
    }
}
