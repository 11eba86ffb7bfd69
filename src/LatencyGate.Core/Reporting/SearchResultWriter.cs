using System.Globalization;
using System.Text;
using System.Text.Json;
using LatencyGate.Files;
using LatencyGate.Search;

namespace LatencyGate.Reporting;

/// <summary>
/// Deterministic serializations of a <see cref="SearchResult"/>: the whole result as JSON, the
/// chosen archs in OFA's form, and the Pareto fronts as CSV or JSON. UTF-8, '\n' line ends,
/// numbers in the shortest round-trip invariant form, so equal results give equal bytes.
/// </summary>
internal static class SearchResultWriter
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, NewLine = "\n" };

    /// <summary>The whole result: mode, objective, seed, options, outcomes, fronts and skipped budgets.</summary>
    public static byte[] ToJson(SearchResult result) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("mode", ModeName(result.Mode));
        w.WriteString("objective", result.Objective);
        w.WriteNumber("seed", result.Seed);
        WriteNullable(w, "confidence", result.Confidence);
        WriteOptions(w, result.Options);
        w.WriteStartArray("results");
        foreach (var o in result.Outcomes)
        {
            WriteOutcome(w, o, result.ScoreIsMacs);
        }

        w.WriteEndArray();
        if (result.Mode == SearchMode.PerDevice)
        {
            // Devices where no sub-network fits their budget: failed, while the others have results.
            WriteUnreachedBudgets(w, "failed", result.Skipped);
        }

        if (result.Mode == SearchMode.Sweep)
        {
            WriteFronts(w, result);
            WriteUnreachedBudgets(w, "skipped", result.Skipped);
        }

        w.WriteEndObject();
    });

    /// <summary>The chosen archs in OFA's form, keyed by target: <c>{"note10": {"ks": …}, …}</c>.</summary>
    public static byte[] ArchsToJson(SearchResult result) => Write(w =>
    {
        w.WriteStartObject();
        foreach (var o in result.Outcomes)
        {
            var key = result.Mode == SearchMode.Sweep
                ? o.Target + "@" + Number(o.Best.Latencies[0].BudgetMs) + "ms"
                : o.Target;
            w.WritePropertyName(key);
            OfaArchJson.Write(w, o.Best.Arch);
        }

        w.WriteEndObject();
    });

    /// <summary>The Pareto fronts as JSON: <c>{"fronts": [{"device": …, "points": [...]}]}</c>.</summary>
    public static byte[] ParetoToJson(SearchResult result) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("objective", result.Objective);
        WriteFronts(w, result);
        w.WriteEndObject();
    });

    /// <summary>One row per front point: <c>device,budget_ms,latency_ms,upper_ms,accuracy,arch</c>.</summary>
    public static byte[] ParetoToCsv(SearchResult result)
    {
        var sb = new StringBuilder();
        sb.Append(result.ScoreIsMacs ? "device,budget_ms,latency_ms,upper_ms,macs_millions,arch\n" : "device,budget_ms,latency_ms,upper_ms,accuracy,arch\n");
        foreach (var front in result.Fronts)
        {
            foreach (var p in front.Points)
            {
                var l = p.Best.Latencies[0];
                sb.Append(Csv.Field(front.Device)).Append(',')
                    .Append(Number(l.BudgetMs)).Append(',')
                    .Append(Number(l.LatencyMs)).Append(',')
                    .Append(Number(l.UpperMs)).Append(',')
                    .Append(Number(p.Best.Accuracy)).Append(',')
                    .Append(Csv.Field(OfaArchJson.ToJson(p.Best.Arch))).Append('\n');
            }
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public static string ModeName(SearchMode mode) => mode switch
    {
        SearchMode.PerDevice => "per-device",
        SearchMode.Shared => "shared",
        _ => "sweep",
    };

    /// <summary>Budgets no sub-network meets: "failed" in a per-device search, "skipped" in a sweep.</summary>
    private static void WriteUnreachedBudgets(Utf8JsonWriter w, string name, IReadOnlyList<SkippedBudget> budgets)
    {
        w.WriteStartArray(name);
        foreach (var s in budgets)
        {
            w.WriteStartObject();
            w.WriteString("device", s.Device);
            w.WriteNumberOrNull("budget_ms", s.BudgetMs);
            w.WriteNumberOrNull("smallest_reachable_ms", s.SmallestReachableMs);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteFronts(Utf8JsonWriter w, SearchResult result)
    {
        w.WriteStartArray("fronts");
        foreach (var front in result.Fronts)
        {
            w.WriteStartObject();
            w.WriteString("device", front.Device);
            w.WriteStartArray("points");
            foreach (var p in front.Points)
            {
                WriteOutcome(w, p, result.ScoreIsMacs);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteOutcome(Utf8JsonWriter w, SearchOutcome o, bool scoreIsMacs)
    {
        w.WriteStartObject();
        w.WriteString("target", o.Target);
        if (scoreIsMacs)
        {
            // The MACs proxy's score is work, not an accuracy: labelled as what it is.
            w.WriteNull("accuracy");
            w.WriteNumberOrNull("macs_millions", o.Best.Accuracy);
        }
        else
        {
            w.WriteNumberOrNull("accuracy", o.Best.Accuracy);
        }

        w.WriteStartArray("latencies");
        foreach (var l in o.Best.Latencies)
        {
            w.WriteStartObject();
            w.WriteString("device", l.Device);
            w.WriteNumberOrNull("budget_ms", l.BudgetMs);
            w.WriteNumberOrNull("latency_ms", l.LatencyMs);
            w.WriteNumberOrNull("upper_ms", l.UpperMs);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("arch_key", o.Best.Arch.CanonicalKey);
        w.WritePropertyName("arch");
        OfaArchJson.Write(w, o.Best.Arch);
        w.WriteNumber("evaluations", o.Evaluations);
        w.WriteNumber("latency_evaluations", o.LatencyEvaluations);
        w.WriteEndObject();
    }

    private static void WriteOptions(Utf8JsonWriter w, EvolutionOptions o)
    {
        w.WriteStartObject("options");
        w.WriteNumber("population_size", o.PopulationSize);
        w.WriteNumber("generations", o.Generations);
        w.WriteNumberOrNull("parent_ratio", o.ParentRatio);
        w.WriteNumberOrNull("mutation_ratio", o.MutationRatio);
        w.WriteNumberOrNull("mutation_probability", o.MutationProbability);
        w.WriteNumber("restarts", o.Restarts);
        w.WriteBoolean("local_search", o.LocalSearch);
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Indented))
        {
            body(writer);
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
