namespace LatencyGate.Diagnostics;

/// <summary>Training-engine codes the core raises (the libtorch block, LG0850–LG0899; the rest live in LatencyGate.Torch).</summary>
internal static class EngineErrors
{
    /// <summary>Unknown training engine name (<c>--engine</c>, a manifest's <c>engine:</c>).</summary>
    public const string UnknownEngine = "LG0853";

    /// <summary>The manifest asks for an engine this host does not have (the MSBuild task trains with the managed engine only).</summary>
    public const string EngineUnavailableHere = "LG0855";
}
