using LatencyGate.Networks;

namespace LatencyGate.Measuring;

/// <summary>
/// A runtime that runs networks on this machine (ONNX Runtime, libtorch, …). Each lives in its own
/// assembly so that the core and the MSBuild task load no native library; the timing protocol
/// (<see cref="MeasurementRun"/>) is the same for all of them.
/// </summary>
internal interface IMeasurementRuntime
{
    /// <summary>The name users pass with <c>--runtime</c> and in a manifest (<c>onnxruntime</c>).</summary>
    string Name { get; }

    /// <summary>The runtime's own version (e.g. ONNX Runtime 1.32.0), recorded with every measurement.</summary>
    string Version { get; }

    /// <summary>Builds the network in the runtime (weights from <paramref name="seed"/>) for one batch size and thread count.</summary>
    IPreparedNetwork Prepare(Network network, int batchSize, int threads, ulong seed);
}

/// <summary>A network ready to run: inputs allocated, one call is one forward pass of the whole batch.</summary>
internal interface IPreparedNetwork : IDisposable
{
    void RunOnce();
}
