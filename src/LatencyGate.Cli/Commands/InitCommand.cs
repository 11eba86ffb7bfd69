using System.CommandLine;
using System.Text;
using LatencyGate.Diagnostics;
using LatencyGate.Files;
using LatencyGate.Manifest;
using LatencyGate.Predictors.Lut;
using LatencyGate.Predictors.Profiles;
using LatencyGate.Spaces;

namespace LatencyGate.Cli.Commands;

internal static class InitCommand
{
    public static Command Create(TextWriter stdout)
    {
        var path = new Option<string>("--path") { Description = "Manifest file to write.", DefaultValueFactory = _ => LatencyGateManifest.DefaultFileName };
        var space = new Option<string?>("--space") { Description = "Search space: ofa-mbv3-w1.0 or ofa-mbv3-w1.2 (default: the space of the --lut tables, else ofa-mbv3-w1.0)." }.OneOf(CommandParsing.SpaceNames);
        var lut = new Option<string?>("--lut") { Description = "Lookup-table folder of the starter device (relative to the manifest), or builtin:note10; default: a placeholder folder." };
        var schema = new Option<string?>("--schema") { Description = "JSON Schema reference for editors (yaml-language-server); default: a copy written beside the manifest." };
        var force = new Option<bool>("--force") { Description = "Overwrite existing files." };
        var command = new Command("init", "Write a commented starter manifest (latency-gate.yaml) and the files it points at.") { path, space, lut, schema, force };
        command.SetAction(pr =>
        {
            // An empty path, a folder or a path under a file is LG0045, before anything is written.
            OutputFile.CheckWritable(pr.GetValue(path)!, "the starter manifest");
            var manifestPath = Path.GetFullPath(pr.GetValue(path)!);
            var baseDir = Path.GetDirectoryName(manifestPath)!;
            var lutPath = pr.GetValue(lut);
            if (pr.GetValue(schema) is { } schemaRef && (schemaRef.Trim().Length == 0 || schemaRef.Any(char.IsControl)))
            {
                // It goes on the manifest's first line, a comment: a line break there broke the manifest.
                throw new LatencyGateException(CliCodes.BadSchemaReference, (schemaRef.Trim().Length == 0 ? "--schema is empty" : "--schema holds a line break or another control character") + "; pass a schema path or URL, or leave --schema out for a copy beside the manifest", new SourceLocation("--schema"));
            }

            var chosen = ChooseSpace(pr.GetValue(space), lutPath, baseDir);
            var files = StarterManifest.Files(chosen, lutPath, pr.GetValue(schema));
            var targets = files.Select((f, i) => (Path: i == 0 ? manifestPath : Path.Combine(baseDir, f.Key), Text: f.Value)).ToArray();
            var existing = targets.Where(t => File.Exists(t.Path)).Select(t => t.Path).ToArray();
            if (existing.Length > 0 && !pr.GetValue(force))
            {
                throw new LatencyGateException(
                    existing.Select(p => Diagnostic.Error(ManifestErrors.WouldOverwrite, "file exists; use --force to overwrite it", new SourceLocation(p))).ToArray());
            }

            foreach (var (target, _) in targets)
            {
                OutputFile.CheckWritable(target, "the starter file");
            }

            // All or nothing: a disk that fills up at the third file leaves no starter half made.
            OutputFile.WriteGroup([.. targets.Select(t => (t.Path, (Action<Stream>)(stream => stream.Write(new System.Text.UTF8Encoding(false).GetBytes(t.Text)))))], "the starter file");
            foreach (var (target, _) in targets)
            {
                stdout.WriteLine($"wrote {EchoText.OneLine(Path.GetRelativePath(Environment.CurrentDirectory, target))}");
            }

            if (pr.GetValue(force))
            {
                RemoveEarlierStarterFiles(stdout, baseDir, files, lutPath);
            }

            var relative = Path.GetRelativePath(Environment.CurrentDirectory, manifestPath);
            var check = relative == LatencyGateManifest.DefaultFileName ? "dotnet latency-gate check" : $"dotnet latency-gate check --manifest {relative}";
            // Without --lut the starter's table folder is a placeholder: check fails (LG0021) until it is filled.
            stdout.WriteLine(lutPath is null
                ? $"Next: put your device's OFA lookup tables in the placeholder folder (its README.md says how), or start from OFA's Note10 tables with 'dotnet latency-gate init --lut builtin:note10 --force'; edit the devices and budgets, then run '{check}'."
                : $"Next: edit the devices and budgets, then run '{check}'.");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// <c>--force</c> over an earlier starter: the files that init wrote then and does not write now
    /// (the placeholder table folder after <c>--lut builtin:note10</c>) are removed, so the folder holds
    /// one consistent starter. Only a file whose bytes are still exactly what init writes is removed,
    /// and the placeholder folder only when it holds nothing else: tables or edits a user put there are
    /// kept (and said so), and nothing inside the folder the new manifest's <c>lut:</c> names is touched.
    /// </summary>
    private static void RemoveEarlierStarterFiles(TextWriter stdout, string baseDir, IReadOnlyList<KeyValuePair<string, string>> written, string? lutPath)
    {
        var lutFolder = lutPath is null || BuiltinProfiles.IsReference(lutPath) ? null : Path.GetFullPath(Path.Combine(baseDir, lutPath));
        foreach (var file in StarterManifest.OptionalFiles())
        {
            var path = Path.GetFullPath(Path.Combine(baseDir, file.RelativePath));
            var folder = Path.GetDirectoryName(path)!;
            if (written.Any(w => w.Key == file.RelativePath) || !File.Exists(path) || (lutFolder is not null && IsWithin(path, lutFolder)))
            {
                continue;
            }

            if (file.OwnsFolder && Directory.EnumerateFileSystemEntries(folder).Any(e => Path.GetFullPath(e) != path))
            {
                stdout.WriteLine($"kept {Shown(folder)}{Path.DirectorySeparatorChar}: an earlier init made it, but it holds files init did not write; delete it if the new starter does not need them");
                continue;
            }

            if (!HasText(path, file.Text))
            {
                stdout.WriteLine($"kept {Shown(path)}: an earlier init wrote it, but it has been edited since; delete it if the new starter does not need it");
                continue;
            }

            File.Delete(path);
            stdout.WriteLine($"removed {Shown(path)} (an earlier init wrote it; the new starter does not use it)");
            if (file.OwnsFolder)
            {
                Directory.Delete(folder);
                stdout.WriteLine($"removed {Shown(folder)}{Path.DirectorySeparatorChar}");
            }
        }

        static string Shown(string path) => Path.GetRelativePath(Environment.CurrentDirectory, path);
    }

    private static bool IsWithin(string path, string folder) =>
        path.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>Whether the file holds exactly <paramref name="text"/> as init writes it (UTF-8, no BOM); an unreadable file is not.</summary>
    private static bool HasText(string path, string text)
    {
        var expected = new UTF8Encoding(false).GetBytes(text);
        try
        {
            return new FileInfo(path).Length == expected.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(expected);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// The starter's space: as asked, else the one the lookup tables were measured for (a w1.2 table
    /// under a w1.0 manifest fails on its first layer), else w1.0.
    /// </summary>
    private static OfaSpace ChooseSpace(string? asked, string? lutPath, string baseDir)
    {
        var explicitSpace = asked is null ? null : OfaSpace.Get(asked, new SourceLocation("--space"));
        if (lutPath is null)
        {
            return explicitSpace ?? OfaSpace.W10;
        }

        if (string.IsNullOrWhiteSpace(lutPath))
        {
            // Path.Combine(baseDir, "") is the manifest's own folder: the starter said `lut:` (null).
            throw new LatencyGateException(LutErrors.FolderMissing, "--lut names no folder; pass the folder of the device's lookup tables, or builtin:note10", new SourceLocation("--lut"));
        }

        var folder = BuiltinProfiles.IsReference(lutPath) ? lutPath : Path.GetFullPath(Path.Combine(baseDir, lutPath));
        var detected = LookupTablePredictor.DetectSpace(folder);
        if (explicitSpace is not null && detected is not null && explicitSpace != detected)
        {
            throw new LatencyGateException(
                CliCodes.InitSpaceMismatch,
                $"--space {explicitSpace.Name}, but the tables '{lutPath}' are of {detected.Name} (their first conv has its width); drop --space or pass --space {detected.Name}",
                new SourceLocation("--lut"));
        }

        var chosen = explicitSpace ?? detected ?? OfaSpace.W10;

        // The starter must load as written: a folder without tables (`--lut /etc`) or with tables of
        // neither space was written into it, and the first `check` failed on it (LG0021, LG0029).
        LookupTablePredictor.Load(folder, chosen, interpolate: true);
        return chosen;
    }
}
