using System.CommandLine;
using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Files;
using LatencyGate.Measurements;
using LatencyGate.Randomness;
using LatencyGate.Simulation;
using LatencyGate.Spaces;

namespace LatencyGate.Cli.Commands;

/// <summary>
/// <c>simulate --device NAME --space S (--archs FILE | --count N) [--seed X] [--repeats R] --out CSV</c>:
/// synthetic measurements from an analytical (roofline) device model with noise, for examples and demos.
/// </summary>
internal static class SimulateCommand
{
    /// <summary>Rows (archs × repeats) one run writes at most, as many as sample's archs.</summary>
    private const long MaxRows = 1_000_000;

    public static Command Create(TextWriter stdout)
    {
        var device = new Option<string>("--device") { Description = "Simulated device preset: " + string.Join(", ", SimulatedDevice.Presets.Select(p => p.Name)), Required = true }.OneOf(SimulatedDevice.Presets.Select(p => p.Name));
        var space = new Option<string>("--space") { Description = "Search space, e.g. ofa-mbv3-w1.2.", Required = true }.OneOf(CommandParsing.SpaceNames);
        var archs = new Option<FileInfo?>("--archs") { Description = "Archs to measure, one per line (as written by `sample`)." };
        var count = new Option<int>("--count") { Description = "Without --archs: how many random archs to measure.", DefaultValueFactory = _ => 100 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the arch sample and of the noise.", DefaultValueFactory = _ => 0 };
        var repeats = new Option<int>("--repeats") { Description = "Measurements per arch (rows repeat the arch).", DefaultValueFactory = _ => 1 };
        var output = new Option<FileInfo?>("--out") { Description = "CSV to write (columns arch, latency_ms)." };
        var lutOut = new Option<DirectoryInfo?>("--lut-out") { Description = "Also (or only) write the device's noise-free per-layer costs as an OFA lookup-table folder." };
        var lutResolutions = new Option<string?>("--lut-resolutions") { Description = "Resolutions of the lookup tables (default 160,176,192,208,224)." };
        var command = new Command("simulate", "Write synthetic latency measurements from an analytical device model (for examples; not a real device).")
        {
            device, space, archs, count, seed, repeats, output, lutOut, lutResolutions,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var name = parse.GetValue(device)!;
            if (!SimulatedDevice.TryGetPreset(name, out var simulated))
            {
                throw new LatencyGateException(CliCodes.UnknownSimulatedDevice, $"unknown simulated device '{name}'; expected one of {string.Join(", ", SimulatedDevice.Presets.Select(p => p.Name))}");
            }

            var ofaSpace = OfaSpace.Get(parse.GetValue(space)!);
            if (parse.GetValue(output) is null && parse.GetValue(lutOut) is null)
            {
                throw new LatencyGateException(CliCodes.OutOfRange, "nothing to write: pass --out CSV, --lut-out DIR, or both");
            }

            // --count is for random archs: beside --archs it was silently ignored.
            if (parse.GetValue(archs) is not null && parse.GetResult(count) is { Implicit: false })
            {
                throw new LatencyGateException(CliCodes.Usage, "--archs and --count both say which archs to simulate: pass --archs FILE (its archs) or --count N (random archs), not both");
            }

            // Everything is checked and computed before anything is written, so a bad option or a
            // cancelled run leaves neither tables nor CSV behind.
            var lutFolder = parse.GetValue(lutOut);
            var tables = lutFolder is null
                ? null
                : simulated.LookupTables(ofaSpace, CommandParsing.ParseResolutions(parse.GetValue(lutResolutions) ?? "160,176,192,208,224", ofaSpace, "--lut-resolutions")).ToList();
            if (lutFolder is not null)
            {
                OutputFile.CheckWritableFolder(lutFolder.FullName, "the lookup-table folder", LutErrors.WriteFailed);
            }

            var csvFile = parse.GetValue(output);
            string? csvText = null;
            string? summary = null;
            if (csvFile is not null)
            {
                OutputFile.CheckWritable(csvFile.FullName, "the measurements CSV");
                OutputFile.RefuseInput(csvFile.FullName, "the measurements CSV", [("--archs", parse.GetValue(archs)?.FullName)]);
                var seedValue = parse.GetValue(seed);
                var repeatCount = parse.GetValue(repeats);
                if (repeatCount is < 1 or > 1000)
                {
                    throw new LatencyGateException(CliCodes.OutOfRange, $"--repeats must be between 1 and 1000; got {repeatCount}");
                }

                var list = parse.GetValue(archs) is { } file ? ReadArchLines(file.FullName, ofaSpace) : SampleArchs(ofaSpace, parse.GetValue(count), seedValue, cancellationToken);

                // The CSV is built in memory before its atomic write: --count 1000000 --repeats 1000 grew
                // towards a billion rows (gigabytes, and more than the 256 MB the measurement readers take).
                var rows = (long)list.Count * repeatCount;
                if (rows > MaxRows)
                {
                    throw new LatencyGateException(CliCodes.OutOfRange, string.Create(CultureInfo.InvariantCulture, $"simulate writes at most {MaxRows:N0} rows; {list.Count:N0} archs × --repeats {repeatCount} is {rows:N0} rows: lower --count or --repeats"));
                }

                var csv = new System.Text.StringBuilder("arch,latency_ms\n");
                foreach (var arch in list)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    for (var r = 0; r < repeatCount; r++)
                    {
                        var ms = simulated.MeasureMs(arch, ofaSpace, seedValue, r);
                        csv.Append(CultureInfo.InvariantCulture, $"{Csv.Field(ArchJson.Write(arch))},{ms:R}\n");
                    }
                }

                csvText = csv.ToString();
                summary = string.Create(CultureInfo.InvariantCulture, $"wrote {list.Count * repeatCount} simulated measurements of {list.Count} archs on {simulated.Name} (synthetic) to {EchoText.OneLine(csvFile.FullName)}");
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (lutFolder is not null)
            {
                var files = Predictors.Lut.LutWriter.WriteFolder(lutFolder.FullName, tables!);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {files.Count} lookup tables of {simulated.Name} (synthetic, noise-free) to {EchoText.OneLine(lutFolder.FullName)}"));
            }

            if (csvText is not null)
            {
                // Atomic: a failed run leaves no half-written CSV.
                OutputFile.WriteText(csvFile!.FullName, csvText, "the measurements CSV");
                stdout.WriteLine(summary);
            }

            return Task.FromResult(0);
        });
        return command;
    }

    private static List<Arch> ReadArchLines(string path, OfaSpace space)
    {
        if (!File.Exists(path))
        {
            throw new LatencyGateException(CliCodes.ArchListUnreadable, $"arch list '{path}' does not exist", new SourceLocation(path));
        }

        var result = new List<Arch>();
        var lineNumber = 0;
        foreach (var line in BoundedFile.ReadAllText(path, MeasurementsCsv.MaxBytes, CliCodes.ArchListUnreadable, "the arch list").Split('\n'))
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                result.Add(ArchJson.Parse(line, space, new SourceLocation(path, lineNumber, 1)));
            }
        }

        // An empty list would write a CSV of no measurements and report success.
        return result.Count > 0
            ? result
            : throw new LatencyGateException(CliCodes.ArchListUnreadable, $"arch list '{EchoText.Cut(path)}' holds no arch; expected one arch per line, as `sample` writes", new SourceLocation(path));
    }

    private static List<Arch> SampleArchs(OfaSpace space, int count, ulong seed, CancellationToken cancellationToken)
    {
        if (count is < 1 or > 1_000_000)
        {
            throw new LatencyGateException(CliCodes.OutOfRange, $"--count must be between 1 and 1000000; got {count}");
        }

        return new ArchSampler(space.Resolutions).SampleDistinct(count, new SeededRandom(seed), cancellationToken);
    }
}
