using System.CommandLine;
using System.Text;
using LatencyGate.Diagnostics;
using LatencyGate.Files;
using LatencyGate.Manifest;
using LatencyGate.Spaces;

namespace LatencyGate.Cli.Commands;

internal static class InitCommand
{
    public static Command Create(TextWriter stdout)
    {
        var path = new Option<string>("--path") { Description = "Manifest file to write.", DefaultValueFactory = _ => LatencyGateManifest.DefaultFileName };
        var space = new Option<string>("--space") { Description = "Search space: ofa-mbv3-w1.0 or ofa-mbv3-w1.2.", DefaultValueFactory = _ => OfaSpace.W10.Name };
        var lut = new Option<string?>("--lut") { Description = "Lookup-table folder of the starter device (relative to the manifest); default: a placeholder folder." };
        var schema = new Option<string?>("--schema") { Description = "JSON Schema reference for editors (yaml-language-server); default: a copy written beside the manifest." };
        var force = new Option<bool>("--force") { Description = "Overwrite existing files." };
        var command = new Command("init", "Write a commented starter manifest (latency-gate.yaml) and the files it points at.") { path, space, lut, schema, force };
        command.SetAction(pr =>
        {
            var manifestPath = Path.GetFullPath(pr.GetValue(path)!);
            var baseDir = Path.GetDirectoryName(manifestPath)!;
            var files = StarterManifest.Files(OfaSpace.Get(pr.GetValue(space)!), pr.GetValue(lut), pr.GetValue(schema));
            var targets = files.Select((f, i) => (Path: i == 0 ? manifestPath : Path.Combine(baseDir, f.Key), Text: f.Value)).ToArray();
            var existing = targets.Where(t => File.Exists(t.Path)).Select(t => t.Path).ToArray();
            if (existing.Length > 0 && !pr.GetValue(force))
            {
                throw new LatencyGateException(
                    existing.Select(p => Diagnostic.Error(ManifestErrors.WouldOverwrite, "file exists; use --force to overwrite it", new SourceLocation(p))).ToArray());
            }

            foreach (var (target, text) in targets)
            {
                OutputFile.WriteText(target, text, "the starter file");
                stdout.WriteLine($"wrote {Path.GetRelativePath(Environment.CurrentDirectory, target)}");
            }

            stdout.WriteLine("Next: edit the devices and budgets, then run 'dotnet latency-gate check'.");
            return 0;
        });
        return command;
    }
}
