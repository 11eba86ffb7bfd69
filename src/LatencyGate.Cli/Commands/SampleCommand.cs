using System.CommandLine;
using LatencyGate.Randomness;
using LatencyGate.Spaces;

namespace LatencyGate.Cli.Commands;

/// <summary><c>sample --space S --count N [--seed X]</c>: distinct archs to measure on a new device, as JSON lines.</summary>
internal static class SampleCommand
{
    public static Command Create(TextWriter stdout)
    {
        var space = new Option<string>("--space") { Description = "Search space, e.g. ofa-mbv3-w1.2.", Required = true };
        var count = new Option<int>("--count") { Description = "How many distinct archs to write.", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (same seed, same archs).", DefaultValueFactory = _ => 0 };
        var resolutions = new Option<string?>("--resolutions") { Description = "Comma-separated resolutions to draw from (default: every resolution of the space)." };
        var command = new Command("sample", "Write N distinct random archs (OFA JSON, one per line) to measure on a new device.") { space, count, seed, resolutions };
        command.SetAction(parse =>
        {
            var ofaSpace = OfaSpace.Get(parse.GetValue(space)!);
            var n = parse.GetValue(count);
            if (n <= 0)
            {
                throw new Diagnostics.LatencyGateException("LG0902", $"--count must be positive; got {n}");
            }

            var resolutionList = CommandParsing.ParseResolutions(parse.GetValue(resolutions), ofaSpace);
            var sampler = new ArchSampler(resolutionList);
            var random = new SeededRandom(parse.GetValue(seed));
            var seen = new HashSet<Arch>();
            // The space holds ~10^19 archs: duplicates are rare, but bound the loop regardless.
            for (var attempts = 0; seen.Count < n && attempts < n * 100; attempts++)
            {
                var arch = sampler.Sample(random);
                if (seen.Add(arch))
                {
                    stdout.WriteLine(ArchJson.Write(arch));
                }
            }

            return 0;
        });
        return command;
    }
}
