using System.Globalization;
using System.Text;

namespace LatencyGate.Monotonicity;

/// <summary>The human form of a <see cref="MonotonicityReport"/>.</summary>
internal static class MonotonicityText
{
    public static string Format(MonotonicityReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{report.Rows} archs measured on all {report.Devices.Count} devices (arch space: {report.ArchSpace}); 95 % bootstrap intervals from {report.BootstrapSamples} resamples, seed {report.Seed}.");
        Matrix(sb, "Spearman (SRCC)", report.Devices, report.Spearman);
        Matrix(sb, "Kendall tau-b", report.Devices, report.Kendall);
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Recommendation (threshold SRCC >= {report.Threshold:0.###}):");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  best single proxy: {report.BestSingleProxy} covers {report.BestSingleProxyCovers.Count} target(s){(report.BestSingleProxyCovers.Count > 0 ? ": " + string.Join(", ", report.BestSingleProxyCovers) : string.Empty)}");
        foreach (var c in report.Cover)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  proxy {c.Proxy} -> {string.Join(", ", c.Targets)}");
        }

        foreach (var a in report.Adaptation)
        {
            var shots = a.Shots is { } k ? string.Create(CultureInfo.InvariantCulture, $"~{k} target measurements (adapted SRCC {Number(a.AdaptedSrcc)})") : "no shot count";
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {a.Target}: not covered (best proxy {a.Proxy}, SRCC {Number(a.ProxySrcc)}); adaptation needs {shots}; {a.Method}");
        }

        return sb.ToString();
    }

    /// <summary>A correlation that cannot be computed (a device with one latency on every arch) is "n/a", as in every text output; never "NaN".</summary>
    private static string Number(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";

    private static void Matrix(StringBuilder sb, string title, IReadOnlyList<string> devices, IReadOnlyList<IReadOnlyList<CorrelationCell>> m)
    {
        var width = Math.Max(8, devices.Max(d => d.Length));
        sb.AppendLine().AppendLine(title + " [lower, upper]:");
        sb.Append(new string(' ', width));
        foreach (var d in devices)
        {
            sb.Append(' ').Append(d.PadLeft(21));
        }

        sb.AppendLine();
        for (var i = 0; i < devices.Count; i++)
        {
            sb.Append(devices[i].PadRight(width));
            for (var j = 0; j < devices.Count; j++)
            {
                var c = m[i][j];
                sb.Append(' ').Append(string.Create(CultureInfo.InvariantCulture, $"{Number(c.Value),6} [{Number(c.Lower)},{Number(c.Upper)}]").PadLeft(21));
            }

            sb.AppendLine();
        }
    }
}
