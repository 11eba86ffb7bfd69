namespace LatencyGate.Benchmarks.Transfer;

/// <summary>
/// Published per-task Spearman on the FBNet tasks, from abdelfattah-lab/nasflat_latency at commit
/// 488ecd6 (the last one before a380cb6 removed the result CSVs),
/// correlation_trainer/correlation_results/all_results/…: mean over each task's test devices.
/// </summary>
internal static class FbNetPublished
{
    public const string Commit = "488ecd6";

    /// <summary>NASFLAT (aggr_study_6_5_f_zcp/fbnet_samp_eff.csv: 800 source archs, 20 transfer samples, a2vcatezcp sampler, GIN+ZCP, 3 trials). Mean 0.794.</summary>
    public static IReadOnlyDictionary<string, double> Nasflat { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["F0"] = 0.9611080591670227,
        ["F1"] = 0.8086059381085711,
        ["F2"] = 0.8714070034486967,
        ["F3"] = 0.8143491919978025,
        ["F4"] = 0.7339887878084616,
        ["F5"] = 0.5773377989134398,
    };

    /// <summary>HELP rerun by NASFLAT's authors (aggr_help_baselines_r/fbnet_samp_eff.csv: num_samples 10, 4,000 meta-train archs, 3 trials). Mean 0.654.</summary>
    public static IReadOnlyDictionary<string, double> Help { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["F0"] = 0.9659916307858116,
        ["F1"] = 0.7938447838859368,
        ["F2"] = 0.5439499557564229,
        ["F3"] = 0.41358651577568023,
        ["F4"] = 0.7992392723124535,
        ["F5"] = 0.40665209331337104,
    };

    /// <summary>Multi-Predict rerun by NASFLAT's authors (aggr_multipredict_baseline_r/fbnet_samp_eff.csv: 20 transfer samples, 4,000 source archs, 3 trials). Mean 0.656.</summary>
    public static IReadOnlyDictionary<string, double> MultiPredict { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["F0"] = 0.9443132704605306,
        ["F1"] = 0.7565036164063034,
        ["F2"] = 0.5671828257178235,
        ["F3"] = 0.4347726234768136,
        ["F4"] = 0.7637166716051197,
        ["F5"] = 0.4701164945857788,
    };

    public static string SourceOf(string method) => method switch
    {
        "nasflat" => $"abdelfattah-lab/nasflat_latency@{Commit}:correlation_trainer/correlation_results/all_results/aggr_study_6_5_f_zcp/fbnet_samp_eff.csv",
        "help" => $"abdelfattah-lab/nasflat_latency@{Commit}:correlation_trainer/correlation_results/all_results/aggr_help_baselines_r/fbnet_samp_eff.csv",
        _ => $"abdelfattah-lab/nasflat_latency@{Commit}:correlation_trainer/correlation_results/all_results/aggr_multipredict_baseline_r/fbnet_samp_eff.csv",
    };
}
