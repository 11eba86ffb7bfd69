using System.Globalization;
using System.Text;
using LatencyGate.Diagnostics;
using LatencyGate.Gating;

namespace LatencyGate.Reporting;

/// <summary>
/// GitHub Actions workflow commands (<c>::error file=…,line=…,col=…,title=…::message</c>) for every
/// error and warning. The host decides whether to print them (GITHUB_ACTIONS=true); this only formats.
/// </summary>
internal static class GitHubAnnotationWriter
{
    public static string Write(GateResult result, string? workspace = null) => Write(GateFindings.For(result), workspace);

    /// <param name="diagnostics">What to annotate.</param>
    /// <param name="workspace">
    /// The checkout (the host passes <c>GITHUB_WORKSPACE</c>; Core reads no environment): GitHub
    /// places an annotation on a file only by its path relative to the repository root, so files
    /// inside it are written relative to it; files outside keep their path.
    /// </param>
    public static string Write(IEnumerable<Diagnostic> diagnostics, string? workspace = null)
    {
        var sb = new StringBuilder();
        foreach (var d in diagnostics)
        {
            var command = d.Severity switch
            {
                DiagnosticSeverity.Error => "error",
                DiagnosticSeverity.Warning => "warning",
                _ => "notice",
            };
            sb.Append("::").Append(command).Append(' ');
            if (d.Location is { } at)
            {
                sb.Append("file=").Append(Property(ReportText.PortablePath(RelativeTo(workspace, at.File))));
                if (at.Line > 0)
                {
                    sb.Append(",line=").Append(at.Line.ToString(CultureInfo.InvariantCulture));
                    if (at.Column > 0)
                    {
                        sb.Append(",col=").Append(at.Column.ToString(CultureInfo.InvariantCulture));
                    }
                }

                sb.Append(',');
            }

            sb.Append("title=").Append(Property($"{d.Code} {RuleCatalog.Title(d.Code)}"));
            sb.Append("::").Append(Data(d.Message)).Append('\n');
        }

        return sb.ToString();
    }

    private static string RelativeTo(string? workspace, string file)
    {
        if (string.IsNullOrWhiteSpace(workspace) || string.IsNullOrEmpty(file))
        {
            return file;
        }

        var full = Path.GetFullPath(file);
        var root = Path.GetFullPath(workspace);
        var relative = Path.GetRelativePath(root, full);
        return relative == "." || relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? file : relative.Replace('\\', '/');
    }

    // The escaping GitHub's runner undoes (actions/toolkit, command.ts).
    private static string Data(string s) =>
        s.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    private static string Property(string s) =>
        Data(s).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);
}
