namespace LatencyGate.Diagnostics;

/// <summary>Process exit codes shared by every host (see the CLI contract in docs/cli.md).</summary>
public enum ExitCode
{
    /// <summary>Every device passed (or warned).</summary>
    Success = 0,

    /// <summary>A budget is broken, or no sub-network fits it.</summary>
    GateFailed = 1,

    /// <summary>Bad usage or bad input: manifest, data, weights, arch.</summary>
    InvalidInput = 2,

    /// <summary>A bug in the tool, reported with details.</summary>
    InternalError = 3,

    /// <summary>
    /// Cancelled (Ctrl-C, SIGINT, SIGTERM, or a cancelled build): 128 + SIGINT's number, the
    /// shell's convention for "stopped by a signal", so scripts can tell it from a failure.
    /// </summary>
    Cancelled = 130,
}
