using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LatencyGate.Diagnostics;
using LatencyGate.Predictors;
using LatencyGate.Reporting;
using LatencyGate.Spaces;

namespace LatencyGate.Cli.Commands;

internal static class AccuracyCommand
{

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var space = new Option<string>("--space") { Description = "Search space: ofa-mbv3-w1.0 or ofa-mbv3-w1.2 (OFA's accuracy predictor, builtin:ofa-w1.2, is for ofa-mbv3-w1.2).", Required = true }.OneOf(CommandParsing.SpaceNames);
        var predictor = new Option<string>("--predictor") { Description = "Accuracy predictor: builtin:ofa-w1.2 (OFA's, built in), or weights (acc_predictor.pth, or safetensors).", Required = true };
        var archFile = new Option<string?>("--arch") { Description = "Arch file (OFA JSON or Python dict literal), or the arch key the tool prints (r192-d23232-k…)." };
        var archJson = new Option<string?>("--arch-json") { Description = "Arch as inline JSON." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("accuracy", "Predicted top-1 accuracy of one arch.") { space, predictor, archFile, archJson, json };
        command.SetAction(pr =>
        {
            var s = OfaSpace.Get(pr.GetValue(space)!);
            var file = pr.GetValue(archFile);
            var inline = pr.GetValue(archJson);
            if ((file is null) == (inline is null))
            {
                throw new LatencyGateException(CliCodes.Usage, "give exactly one of --arch FILE or --arch-json JSON");
            }

            var arch = ArchJson.FromFileOrText(file, inline, s);
            var model = AccuracyPredictorFile.Load(pr.GetValue(predictor)!, s, new SourceLocation("--predictor"));
            if (s != OfaSpace.W12)
            {
                // OFA published its accuracy predictor for the w1.2 space only; a file cannot say which space it learned.
                stderr.WriteLine(Diagnostic.Warning(CliCodes.AccuracyOtherSpace, $"OFA's accuracy predictor was trained on {OfaSpace.W12.Name} sub-networks; its score for a {s.Name} arch is not that arch's accuracy", new SourceLocation("--predictor")).ToString());
            }

            var score = new double[1];
            model.Score([arch], score);
            if (pr.GetValue(json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?> { ["accuracy"] = JsonNumbers.OrNull(score[0]), ["arch"] = arch.CanonicalKey }, JsonNumbers.Options));
            }
            else
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{EvaluateCommand.Num(score[0], "F5")} predicted top-1 accuracy ({model.Description}) for {arch.CanonicalKey}"));
            }

            return 0;
        });
        return command;
    }
}
