using ScottPlot;

namespace LatencyGate.Reporting.Html;

/// <summary>
/// The report's colours, one per kind of mark, so a reader (and the browser test) can tell the budget
/// line, the bars and the chosen point apart by colour alone. Skia writes them as these hex values.
/// </summary>
internal static class ReportColors
{
    public const string Budget = "#D62728";
    public const string WarnZone = "#F2B701";
    public const string Pass = "#2C7FB8";
    public const string Warn = "#E08E0B";
    public const string Fail = "#7A0177";
    public const string Interval = "#08306B";
    public const string Measured = "#2CA02C";
    public const string Front = "#636363";
    public const string Chosen = "#FF7F0E";
    public const string Kernel3 = "#C6DBEF";
    public const string Kernel5 = "#6BAED6";
    public const string Kernel7 = "#2171B5";
    public const string Identity = "#969696";

    public static Color Of(string hex) => Color.FromHex(hex);

    public static string ForVerdict(string verdict) => verdict switch
    {
        "pass" => Pass,
        "warn" => Warn,
        _ => Fail,
    };

    public static string ForKernel(int kernel) => kernel switch
    {
        3 => Kernel3,
        5 => Kernel5,
        _ => Kernel7,
    };
}
