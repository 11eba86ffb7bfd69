using System.Globalization;
using System.Text;
using System.Xml;
using LatencyGate.Diagnostics;
using LatencyGate.Gating;

namespace LatencyGate.Reporting;

/// <summary>
/// JUnit XML in the Ant/Jenkins shape (valid against the common JUnit.xsd): one testsuite, one
/// testcase per device; a failure element for fail, error for a device that could not be
/// evaluated, skipped for skipped. Warnings pass, and are listed in the suite's system-out.
/// </summary>
internal static class JUnitReportWriter
{
    public static string Write(GateResult result)
    {
        var settings = new XmlWriterSettings
        {
            Indent = true,
            IndentChars = "  ",
            Encoding = new UTF8Encoding(false),
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Entitize,
        };
        using var stream = new MemoryStream();
        using (var x = XmlWriter.Create(stream, settings))
        {
            var seconds = Seconds(result.TotalSeconds);
            var suiteName = "latency-gate." + SuiteName(result.ManifestPath);
            x.WriteStartDocument();
            x.WriteStartElement("testsuites");
            x.WriteStartElement("testsuite");
            x.WriteAttributeString("name", XmlText(suiteName));
            x.WriteAttributeString("package", "latency-gate");
            x.WriteAttributeString("id", "0");
            x.WriteAttributeString("timestamp", result.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
            x.WriteAttributeString("hostname", XmlText(string.IsNullOrWhiteSpace(result.HostName) ? "localhost" : result.HostName));
            x.WriteAttributeString("tests", Int(result.Devices.Count));
            x.WriteAttributeString("failures", Int(result.Count(Verdict.Fail)));
            x.WriteAttributeString("errors", Int(result.Count(Verdict.Error)));
            x.WriteAttributeString("skipped", Int(result.Count(Verdict.Skipped)));
            x.WriteAttributeString("time", seconds);

            x.WriteStartElement("properties");
            Property(x, "manifest", ReportText.PortablePath(result.ManifestPath));
            Property(x, "space", result.Space);
            Property(x, "mode", ReportText.Mode(result.Mode));
            Property(x, "verdict", ReportText.Verdict(result.Overall));
            Property(x, "tool_version", result.ToolVersion);
            x.WriteEndElement();

            foreach (var d in result.Devices)
            {
                WriteCase(x, d, suiteName);
            }

            x.WriteElementString("system-out", XmlText(SystemOut(result)));
            x.WriteElementString("system-err", XmlText(string.Join("\n", GateFindings.For(result).Where(f => f.Severity != Diagnostics.DiagnosticSeverity.Info))));
            x.WriteEndElement();
            x.WriteEndElement();
            x.WriteEndDocument();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteCase(XmlWriter x, DeviceResult d, string className)
    {
        x.WriteStartElement("testcase");
        x.WriteAttributeString("name", XmlText(d.Device));
        x.WriteAttributeString("classname", XmlText(className));
        x.WriteAttributeString("time", Seconds(d.Seconds));
        var findings = GateFindings.For(d);
        var detail = string.Join("\n", findings.Select(f => f.ToString()).Concat(d.Notes));
        switch (d.Verdict)
        {
            case Verdict.Fail:
                x.WriteStartElement("failure");
                x.WriteAttributeString("message", XmlText(findings.FirstOrDefault()?.Message ?? "over budget"));
                x.WriteAttributeString("type", findings.FirstOrDefault()?.Code ?? GateErrors.OverBudget);
                x.WriteString(XmlText(detail));
                x.WriteEndElement();
                break;
            case Verdict.Error:
                x.WriteStartElement("error");
                x.WriteAttributeString("message", XmlText(findings.FirstOrDefault()?.Message ?? "device could not be evaluated"));
                x.WriteAttributeString("type", findings.FirstOrDefault()?.Code ?? GateErrors.DeviceError);
                x.WriteString(XmlText(detail));
                x.WriteEndElement();
                break;
            case Verdict.Skipped:
                x.WriteStartElement("skipped");
                if (d.Notes.Count > 0)
                {
                    x.WriteAttributeString("message", XmlText(d.Notes[0]));
                }

                x.WriteEndElement();
                break;
        }

        x.WriteEndElement();
    }

    private static string SystemOut(GateResult result)
    {
        var sb = new StringBuilder();
        foreach (var d in result.Devices)
        {
            sb.Append(d.Device).Append(": ").Append(ReportText.Verdict(d.Verdict)).Append(", ")
              .Append(GateFindings.DescribeLatency(d)).Append(", budget ").Append(GateFindings.Ms(d.BudgetMs));
            foreach (var note in d.Notes)
            {
                sb.Append("; ").Append(note);
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static void Property(XmlWriter x, string name, string value)
    {
        x.WriteStartElement("property");
        x.WriteAttributeString("name", name);
        x.WriteAttributeString("value", XmlText(value));
        x.WriteEndElement();
    }

    /// <summary>
    /// The text with every character XML 1.0 cannot hold (control characters other than tab and
    /// line breaks, lone surrogates, U+FFFE/U+FFFF) written as an escape (<c>\u001b</c>): a tool's
    /// stderr or a path quoted in a message may carry one, and XmlWriter throws on it, which lost
    /// every report of the run.
    /// </summary>
    internal static string XmlText(string text)
    {
        var i = 0;
        while (i < text.Length && XmlConvert.IsXmlChar(text[i]))
        {
            i++;
        }

        if (i == text.Length)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 8).Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (XmlConvert.IsXmlChar(c))
            {
                sb.Append(c);
            }
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
            {
                sb.Append(c).Append(text[++i]);
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }

        return sb.ToString();
    }

    private static string SuiteName(string manifestPath)
    {
        var name = Path.GetFileNameWithoutExtension(manifestPath);
        return string.IsNullOrWhiteSpace(name) ? "manifest" : name;
    }

    private static string Int(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(double s) => (double.IsFinite(s) && s > 0 ? s : 0).ToString("0.000", CultureInfo.InvariantCulture);
}
