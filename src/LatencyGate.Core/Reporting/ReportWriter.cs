using System.Text;
using LatencyGate.Diagnostics;
using LatencyGate.Gating;
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
    /// replaced atomically, and returns the paths written. A failure throws LG0505 (exit code 2).
    /// HTML is written only with a <paramref name="html"/> renderer (the caller warns without one).
    /// </summary>
    public static IReadOnlyList<string> WriteAll(GateResult result, string directory, IEnumerable<ReportFormat> formats, IHtmlReportRenderer? html = null)
    {
        var written = new List<string>();
        foreach (var format in formats.Distinct())
        {
            var path = Path.Combine(directory, ReportFormats.FileName(format));
            if (format == ReportFormat.Html)
            {
                if (html is null)
                {
                    continue;
                }

                WriteAtomically(path, html.Render(HtmlReportModels.FromGate(result, directory)));
            }
            else
            {
                WriteAtomically(path, Render(result, format));
            }

            written.Add(path);
        }

        return written;
    }

    public static void WriteAtomically(string path, string text) =>
        WriteAtomically(path, new UTF8Encoding(false).GetBytes(text));

    /// <summary>Writes <paramref name="bytes"/> to a unique temporary file, then moves it over <paramref name="path"/>.</summary>
    public static void WriteAtomically(string path, byte[] bytes)
    {
        // A unique temporary name: two processes writing the same report must not share one.
        var temp = path + "." + Path.GetRandomFileName() + ".tmp";
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir))
            {
                Directory.CreateDirectory(dir);
            }

            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            TryDelete(temp);
            throw new LatencyGateException(GateErrors.ReportWriteFailed, $"cannot write report {path}: {ex.Message}", new SourceLocation(path));
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the report error that follows is what the user needs to see.
        }
    }
}
