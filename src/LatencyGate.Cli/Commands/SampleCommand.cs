using System.CommandLine;
using LatencyGate.Randomness;
using LatencyGate.Spaces;

namespace LatencyGate.Cli.Commands;

/// <summary>
/// <c>sample --space S --count N [--seed X]</c>: distinct random archs to measure on a new device, as
/// JSON lines; or <c>sample --data CSV --columns A,B,… --count N</c>: which of the CSV's archs to
/// measure, chosen from the devices already measured on them (docs/monotonicity.md).
/// </summary>
internal static class SampleCommand
{
    private const int MaxCount = 1_000_000;

    public static Command Create(TextWriter stdout)
    {
        var space = new Option<string?>("--space") { Description = "Search space, e.g. ofa-mbv3-w1.2 (random archs; or use --data)." }.OneOf(CommandParsing.SpaceNames);
        var count = new Option<int>("--count") { Description = "How many distinct archs to write.", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (same seed, same archs).", DefaultValueFactory = _ => 0 };
        var resolutions = new Option<string?>("--resolutions") { Description = "Comma-separated resolutions to draw from (default: every resolution of the space)." };
        var data = new Option<string?>("--data") { Description = "Measurements CSV of devices you already have (arch column, one latency column per device): choose which of its archs to measure." };
        var columns = new Option<string?>("--columns") { Description = "With --data: comma-separated latency columns of the devices already measured." };
        var prior = new Option<string?>("--base") { Description = "A source-prior file (fit --data SOURCES.csv --columns …): choose, among random archs of --space, the ones that pin down a new device best." };
        var command = new Command("sample", "Write N distinct archs to measure on a new device (random OFA archs, or the most informative archs of a CSV or for a source prior).") { space, count, seed, resolutions, data, columns, prior };
        command.SetAction(parse =>
        {
            var n = parse.GetValue(count);
            if (n <= 0)
            {
                throw new Diagnostics.LatencyGateException(CliCodes.OutOfRange, $"--count must be positive; got {n}");
            }

            // As simulate's --count: a list past a million archs is nobody's measuring plan, and
            // int.MaxValue asked the sampler for a list the runtime cannot allocate (an internal error).
            if (n > MaxCount)
            {
                throw new Diagnostics.LatencyGateException(CliCodes.OutOfRange, $"--count must be between 1 and {MaxCount}; got {n}");
            }

            if (parse.GetValue(prior) is { } priorPath)
            {
                if (parse.GetValue(data) is not null || parse.GetValue(columns) is not null)
                {
                    throw new Diagnostics.LatencyGateException(Diagnostics.TransferErrors.BadSampleBase, "sample --base chooses among random archs of --space for the source prior; leave out --data and --columns");
                }

                var priorSpace = OfaSpace.Get(parse.GetValue(space) ?? throw new Diagnostics.LatencyGateException(Diagnostics.TransferErrors.BadSampleBase, "sample --base needs --space (the OFA space the source prior was fit for)"));
                var candidates = CandidatePool(CommandParsing.ParseResolutions(parse.GetValue(resolutions), priorSpace), parse.GetValue(seed), n);
                foreach (var arch in Adaptation.SourcePriorSampling.Choose(priorPath, priorSpace, candidates, n, parse.GetValue(seed)))
                {
                    stdout.WriteLine(ArchJson.Write(arch));
                }

                return 0;
            }

            if (parse.GetValue(data) is { } dataPath)
            {
                if (parse.GetValue(space) is not null || parse.GetValue(resolutions) is not null)
                {
                    throw new Diagnostics.LatencyGateException(Diagnostics.MonotonicityErrors.BadSampleOptions, "sample --data chooses among the CSV's archs: leave out --space and --resolutions");
                }

                var names = CommandParsing.ParseColumns(parse.GetValue(columns));
                if (names.Length == 0)
                {
                    throw new Diagnostics.LatencyGateException(Diagnostics.MonotonicityErrors.BadSampleOptions, "sample --data needs --columns naming the latency columns of the devices already measured");
                }

                var table = Monotonicity.MeasurementTable.Read(dataPath);
                foreach (var row in Monotonicity.SourceInformedSampling.Choose(table, names, n, parse.GetValue(seed)))
                {
                    stdout.WriteLine(Monotonicity.ArchColumnReader.ArchText(table, row));
                }

                return 0;
            }

            if (parse.GetValue(columns) is not null)
            {
                throw new Diagnostics.LatencyGateException(Diagnostics.MonotonicityErrors.BadSampleOptions, "--columns goes with --data (the CSV of devices already measured)");
            }

            var ofaSpace = OfaSpace.Get(parse.GetValue(space) ?? throw new Diagnostics.LatencyGateException(Diagnostics.MonotonicityErrors.BadSampleOptions, "sample needs --space (random archs of an OFA space) or --data with --columns (archs of a CSV)"));

            var resolutionList = CommandParsing.ParseResolutions(parse.GetValue(resolutions), ofaSpace);
            foreach (var arch in new ArchSampler(resolutionList).SampleDistinct(n, new SeededRandom(parse.GetValue(seed))))
            {
                stdout.WriteLine(ArchJson.Write(arch));
            }

            return 0;
        });
        return command;
    }

    /// <summary>The random archs <c>sample --base</c> chooses among: as many as the selection looks at.</summary>
    private static List<Arch> CandidatePool(IReadOnlyList<int> resolutions, ulong seed, int n)
    {
        if (n > Adaptation.SourcePriorSampling.Candidates)
        {
            throw new Diagnostics.LatencyGateException(Diagnostics.TransferErrors.BadSampleBase, $"sample --base chooses among {Adaptation.SourcePriorSampling.Candidates} random archs; --count {n} is more than that (measure random archs, sample --space without --base, beyond it)");
        }

        return [.. new ArchSampler(resolutions).SampleDistinct(Adaptation.SourcePriorSampling.Candidates, new SeededRandom(seed))];
    }
}
