namespace LatencyGate.Torch;

/// <summary>Diagnostic codes of the libtorch runtime and the TorchSharp engine (LG0850–LG0899, docs/diagnostics.md).</summary>
internal static class TorchErrors
{
    /// <summary>No libtorch on this machine (none at LATENCYGATE_LIBTORCH, beside the tool, in the NuGet package folder, or in a PyTorch install).</summary>
    public const string LibTorchMissing = "LG0850";

    /// <summary>LATENCYGATE_LIBTORCH names a folder that holds no libtorch.</summary>
    public const string LibTorchVariableInvalid = "LG0851";

    /// <summary>libtorch was found but does not load (the loader's reason is named).</summary>
    public const string LibTorchLoadFailed = "LG0852";

    /// <summary>Unknown training engine name (--engine, manifest engine:).</summary>
    public const string UnknownEngine = "LG0853";

    /// <summary>A CUDA device was asked of a libtorch without CUDA (or with no CUDA device).</summary>
    public const string CudaUnavailable = "LG0854";

    /// <summary>The engine cannot be used by this host (the MSBuild task has the managed engine only).</summary>
    public const string EngineUnavailableHere = "LG0855";
}
