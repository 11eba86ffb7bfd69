using System.CommandLine;
using LatencyGate.Adaptation;
using LatencyGate.Predictors.Lut;
using LatencyGate.Reporting;
using LatencyGate.Spaces;

namespace LatencyGate.Cli.Commands;

/// <summary>
/// <c>explain --space S [--lut DIR] (--arch FILE | --arch-json JSON) [--json] [--interpolate]</c>:
/// every layer with its shape, MACs, params and (with a LUT) latency.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create(TextWriter stdout)
    {
        var space = new Option<string?>("--space") { Description = "Search space: ofa-mbv3-w1.0 or ofa-mbv3-w1.2 (default: the predictor file's, or the one the lookup tables were measured for)." }.OneOf(CommandParsing.SpaceNames);
        var lut = new Option<string?>("--lut") { Description = "Folder of OFA lookup tables, or builtin:note10; without it only shapes, MACs and params are shown." };
        var arch = new Option<string?>("--arch") { Description = "Arch file (OFA JSON or Python dict literal), or the arch key the tool prints (r192-d23232-k…)." };
        var archJson = new Option<string?>("--arch-json") { Description = "The arch inline." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var interpolate = new Option<bool>("--interpolate") { Description = "Interpolate between the two nearest tables when the resolution has none." };
        var command = new Command("explain", "Per-layer shapes, MACs and lookup-table latency of one sub-network.") { space, lut, arch, archJson, json, interpolate };
        command.SetAction(pr =>
        {
            var s = SpaceFromInputs.Resolve(pr.GetValue(space), pr.GetValue(lut), null);
            var a = ArchJson.FromFileOrText(pr.GetValue(arch), pr.GetValue(archJson), s);
            var lutFolder = pr.GetValue(lut);
            if (lutFolder is null && pr.GetValue(interpolate))
            {
                throw new Diagnostics.LatencyGateException(CliCodes.Usage, "--interpolate applies to lookup tables: pass --lut DIR (or builtin:note10) too");
            }

            var tables = lutFolder is null ? null : PredictorLoader.LoadTables(lutFolder, s, pr.GetValue(interpolate));
            var explanation = LayerExplanation.Of(s, a, tables);
            var text = pr.GetValue(json) ? explanation.ToJson() : explanation.ToTable();
            stdout.Write(text.Replace("\n", Environment.NewLine, StringComparison.Ordinal));
            return 0;
        });
        return command;
    }
}
