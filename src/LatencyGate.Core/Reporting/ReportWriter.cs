using System.Text;
using LatencyGate.Diagnostics;
using LatencyGate.Files;
using LatencyGate.Gating;
using LatencyGate.Manifest;
using LatencyGate.Reporting.Html;

namespace LatencyGate.Reporting;

/// <summary>Entry point for hosts: renders a result in a format, or writes the chosen formats into a folder.</summary>
internal static class ReportWriter
{
    /// <summary>The text formats; HTML needs a renderer (<see cref="WriteAll"/>).</summary>
    public static string Render(GateResult result, ReportFormat format) => format switch
    {
        ReportFormat.Json => JsonReportWriter.Write(result),
        ReportFormat.JUnit => JUnitReportWriter.Write(result),
        ReportFormat.Markdown => MarkdownReportWriter.Write(result),
        ReportFormat.GitHubBenchmark => GitHubBenchmarkReportWriter.Write(result),
        ReportFormat.Sarif => SarifReportWriter.Write(result),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "rendered by an IHtmlReportRenderer"),
    };

    /// <summary>
    /// Writes each format to its file in <paramref name="directory"/> (created if needed), each file
    /// replaced atomically and all of them together (<see cref="OutputFile.WriteGroup"/>: a failure replaces
    /// none), and returns the paths written. A failure throws LG0505 (exit code 2).
    /// HTML is written only with a <paramref name="html"/> renderer (the caller warns without one).
    /// </summary>
    public static IReadOnlyList<string> WriteAll(GateResult result, string directory, IEnumerable<ReportFormat> formats, IHtmlReportRenderer? html = null)
    {
        var files = new List<(string Path, byte[] Bytes)>();
        foreach (var format in formats.Distinct())
        {
            var path = Path.Combine(directory, ReportFormats.FileName(format));
            if (format == ReportFormat.Html)
            {
                if (html is null)
                {
                    continue;
                }

                files.Add((path, html.Render(HtmlReportModels.FromGate(result, directory))));
            }
            else
            {
                files.Add((path, new UTF8Encoding(false).GetBytes(Render(result, format))));
            }
        }

        OutputFile.WriteGroup([.. files.Select(f => (f.Path, (Action<Stream>)(stream => stream.Write(f.Bytes))))], "report", GateErrors.ReportWriteFailed);
        return [.. files.Select(f => f.Path)];
    }

    public static void WriteAtomically(string path, string text) =>
        WriteAtomically(path, new UTF8Encoding(false).GetBytes(text));

    /// <summary>Writes <paramref name="bytes"/> atomically through <see cref="OutputFile"/> (the one atomic writer); a failure is LG0505.</summary>
    public static void WriteAtomically(string path, byte[] bytes) =>
        OutputFile.Write(path, stream => stream.Write(bytes), "report", GateErrors.ReportWriteFailed);
}
