using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LatencyGate.Benchmarks;

/// <summary>
/// <c>accuracy|speed --data DIR --out DIR [--only NAME[,NAME]]</c>: runs the registered benchmarks
/// and writes accuracy.json + accuracy.md or speed.json (+ speed.md).
/// <c>merge --into accuracy.json --from A.json[,B.json…]</c>: folds rows of separate runs (a section
/// run alone with --only) into one accuracy.json and rewrites its accuracy.md; a row replaces the one
/// with the same task, method, device and shots, later files winning. No figure is computed here.
/// </summary>
internal static class BenchmarkProgram
{
    public static int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "merge")
        {
            return Merge(Option(args, "--into"), Option(args, "--from"));
        }

        if (args.Length == 0 || (args[0] != "accuracy" && args[0] != "speed"))
        {
            Console.Error.WriteLine("usage: LatencyGate.Benchmarks accuracy|speed --data DIR --out DIR [--only NAME[,NAME...]]  |  merge --into accuracy.json --from A.json[,B.json...]");
            return 2;
        }

        var data = Option(args, "--data") ?? Path.Combine("..", "shared", "data");
        var outDir = Option(args, "--out") ?? "benchmark-results";
        var only = Option(args, "--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!Directory.Exists(data))
        {
            Console.Error.WriteLine($"error: reference data folder '{data}' not found");
            return 2;
        }

        Directory.CreateDirectory(outDir);
        var context = new BenchmarkContext(Path.GetFullPath(data), Path.GetFullPath(outDir), Console.Out);
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}");
        return args[0] == "accuracy" ? RunAccuracy(context, only) : RunSpeed(context, only);
    }

    private static int RunAccuracy(BenchmarkContext context, string[]? only)
    {
        var rows = new List<AccuracyRow>();
        // A "-dev" benchmark (design comparisons on development splits) runs only when named.
        foreach (var benchmark in BenchmarkCatalog.Accuracy.Where(b => only is null ? !b.Name.EndsWith("-dev", StringComparison.Ordinal) : only.Contains(b.Name)))
        {
            var watch = Stopwatch.StartNew();
            context.Log.WriteLine($"== {benchmark.Name}");
            foreach (var row in benchmark.Run(context))
            {
                rows.Add(row);
                context.Log.WriteLine(row.ToLine());
            }

            context.Log.WriteLine($"   ({watch.Elapsed.TotalSeconds:F1} s)");
        }

        File.WriteAllText(Path.Combine(context.OutputDirectory, "accuracy.json"), JsonSerializer.Serialize(rows, Json.Options));
        File.WriteAllText(Path.Combine(context.OutputDirectory, "accuracy.md"), AccuracyRow.ToMarkdown(rows, context.CoreCount));
        Console.WriteLine($"wrote {rows.Count} rows to {Path.Combine(context.OutputDirectory, "accuracy.json")} and accuracy.md");
        return 0;
    }

    private static int RunSpeed(BenchmarkContext context, string[]? only)
    {
        var figures = new List<SpeedFigure>();
        foreach (var benchmark in BenchmarkCatalog.Speed.Where(b => only is null || only.Contains(b.Name)))
        {
            context.Log.WriteLine($"== {benchmark.Name}");
            foreach (var figure in benchmark.Run(context))
            {
                figures.Add(figure);
                context.Log.WriteLine(figure.ToLine());
            }
        }

        var document = new SpeedReport(context.CoreCount, Environment.OSVersion.ToString(), Environment.Version.ToString(), figures);
        File.WriteAllText(Path.Combine(context.OutputDirectory, "speed.json"), JsonSerializer.Serialize(document, Json.Options));
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Speed on {context.CoreCount} cores").AppendLine();
        md.AppendLine("| name | value | unit | notes |").AppendLine("|---|---|---|---|");
        foreach (var f in figures)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {f.Name} | {f.Value:G6} | {f.Unit} | {f.Notes} |");
        }

        File.WriteAllText(Path.Combine(context.OutputDirectory, "speed.md"), md.ToString());
        Console.WriteLine($"wrote {figures.Count} figures to {Path.Combine(context.OutputDirectory, "speed.json")}");
        return 0;
    }

    private static int Merge(string? into, string? from)
    {
        if (into is null || from is null)
        {
            Console.Error.WriteLine("usage: LatencyGate.Benchmarks merge --into accuracy.json --from A.json[,B.json...]");
            return 2;
        }

        static List<AccuracyRow> Read(string path) => JsonSerializer.Deserialize<List<AccuracyRow>>(File.ReadAllText(path), Json.Options) ?? [];
        static (string, string, string, int) Key(AccuracyRow r) => (r.Task, r.Method, r.Device, r.Shots);
        var rows = File.Exists(into) ? Read(into) : [];
        foreach (var file in from.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var added = 0;
            var replaced = 0;
            foreach (var row in Read(file))
            {
                var at = rows.FindIndex(r => Key(r) == Key(row));
                if (at >= 0)
                {
                    rows[at] = row;
                    replaced++;
                }
                else
                {
                    rows.Add(row);
                    added++;
                }
            }

            Console.WriteLine($"{file}: {added} rows added, {replaced} replaced");
        }

        File.WriteAllText(into, JsonSerializer.Serialize(rows, Json.Options));
        var md = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(into))!, Path.GetFileNameWithoutExtension(into) + ".md");
        File.WriteAllText(md, AccuracyRow.ToMarkdown(rows, Environment.ProcessorCount));
        Console.WriteLine($"wrote {rows.Count} rows to {into} and {md}");
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
