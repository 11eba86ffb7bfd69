using LatencyGate.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace LatencyGate.MSBuild;

/// <summary>
/// Turns core diagnostics into MSBuild errors and warnings with the LG code, file, line and
/// column, so `dotnet build`, IDEs and CI annotate the manifest line itself.
/// </summary>
internal static class DiagnosticLogging
{
    // No subcategory: the line then reads exactly like the CLI's canonical `FILE(L,C): error LGnnnn: …`.
    private const string? Subcategory = null;

    /// <summary>
    /// Logs one diagnostic; returns true when it was logged as an error. One without a location
    /// is placed at <paramref name="fallbackFile"/> (the manifest): MSBuild would otherwise blame
    /// the package's .targets file.
    /// </summary>
    public static bool Log(TaskLoggingHelper log, Diagnostic diagnostic, bool warningsAsErrors, string? fallbackFile)
    {
        var file = string.IsNullOrEmpty(diagnostic.Location?.File) ? fallbackFile : diagnostic.Location.File;
        var line = Math.Max(diagnostic.Location?.Line ?? 0, 0);
        var column = Math.Max(diagnostic.Location?.Column ?? 0, 0);
        switch (diagnostic.Severity)
        {
            case DiagnosticSeverity.Error:
            case DiagnosticSeverity.Warning when warningsAsErrors:
                log.LogError(Subcategory, diagnostic.Code, helpKeyword: null, file, line, column, 0, 0, "{0}", diagnostic.Message);
                return true;
            case DiagnosticSeverity.Warning:
                log.LogWarning(Subcategory, diagnostic.Code, helpKeyword: null, file, line, column, 0, 0, "{0}", diagnostic.Message);
                return false;
            default:
                log.LogMessage(MessageImportance.High, "{0}", diagnostic.ToString());
                return false;
        }
    }

    public static void Error(TaskLoggingHelper log, string code, string message, string? file = null) =>
        log.LogError(Subcategory, code, helpKeyword: null, file, 0, 0, 0, 0, "{0}", message);
}
