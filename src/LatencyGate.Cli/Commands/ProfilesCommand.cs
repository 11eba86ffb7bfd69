using System.CommandLine;
using System.Text.Json;
using LatencyGate.Profiles;

namespace LatencyGate.Cli.Commands;

/// <summary><c>profiles [--json]</c>: the built-in lookup tables and accuracy predictors, by the name the manifest and flags take.</summary>
internal static class ProfilesCommand
{
    public static Command Create(TextWriter stdout)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object {profiles: [...]}." };
        var command = new Command("profiles", "List the built-in profiles (OFA's Note10 lookup tables, OFA's accuracy predictor), usable as builtin:NAME.") { json };
        command.SetAction(pr =>
        {
            if (pr.GetValue(json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["profiles"] = BuiltinProfiles.All.Select(p => new Dictionary<string, string>
                    {
                        ["name"] = p.Reference,
                        ["kind"] = p.Kind == BuiltinProfileKind.LookupTables ? "lut" : "accuracy",
                        ["space"] = p.Space,
                        ["description"] = p.Description,
                        ["source"] = p.Source,
                        ["licence"] = p.Licence,
                    }).ToArray(),
                }));
                return 0;
            }

            foreach (var p in BuiltinProfiles.All)
            {
                stdout.WriteLine($"{p.Reference}  {p.KindName}, {p.Space}");
                stdout.WriteLine($"    {p.Description}");
                stdout.WriteLine($"    from {p.Source}; licence {p.Licence}");
                stdout.WriteLine($"    use: {(p.Kind == BuiltinProfileKind.LookupTables ? $"manifest 'lut: {p.Reference}', or --lut {p.Reference}" : $"manifest 'accuracy: {{predictor: {p.Reference}}}', or accuracy --predictor {p.Reference}")}");
            }

            return 0;
        });
        return command;
    }
}
