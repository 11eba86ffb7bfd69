using LatencyGate.Diagnostics;

namespace LatencyGate.Gating;

/// <summary>The whole gate run: what reports are written from and what the exit code comes from.</summary>
internal sealed record GateResult
{
    public required string ManifestPath { get; init; }

    public required string Space { get; init; }

    public required GateMode Mode { get; init; }

    public required IReadOnlyList<DeviceResult> Devices { get; init; }

    /// <summary>Run-level findings that belong to no device (for example a corrupt cache entry rebuilt).</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; init; } = [];

    public string ToolVersion { get; init; } = "0.0.0";

    /// <summary>When the run started (UTC), given by the host; the core reads no clock.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Machine name for JUnit's required hostname attribute, given by the host.</summary>
    public string HostName { get; init; } = "localhost";

    public double TotalSeconds { get; init; }

    /// <summary>Predictor quality on held-out measurements, by device, where known (computed only for the HTML report).</summary>
    public IReadOnlyDictionary<string, Reporting.Html.QualityView> Quality { get; init; } = new Dictionary<string, Reporting.Html.QualityView>();

    /// <summary>The most severe device verdict; skipped devices count for nothing.</summary>
    public Verdict Overall
    {
        get
        {
            var overall = Verdict.Skipped;
            foreach (var d in Devices)
            {
                if (d.Verdict > overall)
                {
                    overall = d.Verdict;
                }
            }

            if (Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) && overall < Verdict.Error)
            {
                overall = Verdict.Error;
            }

            return overall;
        }
    }

    /// <summary>
    /// 0 when every evaluated device passes or warns, 1 when any fails (over budget, nothing fits,
    /// below the floor), 2 when a device could not be evaluated (bad input such as data or weights).
    /// </summary>
    public ExitCode ExitCode => Overall switch
    {
        Verdict.Error => ExitCode.InvalidInput,
        Verdict.Fail => ExitCode.GateFailed,
        _ => ExitCode.Success,
    };

    public int Count(Verdict verdict) => Devices.Count(d => d.Verdict == verdict);
}
