using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LatencyGate.Adaptation;
using LatencyGate.Diagnostics;
using LatencyGate.Files;
using LatencyGate.Measurements;
using LatencyGate.Predictors;
using LatencyGate.Spaces;

namespace LatencyGate.Cli.Commands;

internal static class FitCommand
{
    /// <summary>The manifest's bound on <c>batch_size</c>.</summary>
    private const int MaxBatchSize = 1_000_000;

    public static Command Create(HostContext host)
    {
        var stdout = host.Stdout;
        var stderr = host.Stderr;
        var space = new Option<string>("--space") { Description = "Search space: ofa-mbv3-w1.0 or ofa-mbv3-w1.2 (or fbnet, nasbench201 with --base SOURCES.csv --columns, to predict a new device from the devices you have).", Required = true }.OneOf(CommandParsing.SpaceNames);
        var data = new Option<string[]>("--data") { Description = "Measurements CSV (arch or flat arch columns, latency in ms); repeat it (one file per device) to fit a source prior over several devices.", Required = true, AllowMultipleArgumentsPerToken = false };
        var latencyColumn = new Option<string?>("--latency-column") { Description = "Latency column (default latency_ms)." };
        var output = new Option<string>("--out") { Description = "Predictor file to write (safetensors).", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed for the split, initialization and shuffling.", DefaultValueFactory = _ => 1UL };
        var model = new Option<string>("--model") { Description = "Model kind: additive (default: per-layer costs, form and penalty chosen by 5-fold cross-validation), additive+mlp or mlp.", DefaultValueFactory = _ => LatencyFitSettings.DefaultModel }.OneOf(Enum.GetValues<LatencyModelKind>().Select(k => k.Name()));
        var epochs = new Option<int?>("--epochs") { Description = "Training epochs (default 60)." };
        var device = new Option<string?>("--device") { Description = "Device name recorded in the predictor file." };
        var batchSize = new Option<int?>("--batch-size") { Description = "Batch size the latencies were measured at, recorded in the file." };
        var bases = new Option<string[]>("--base") { Description = "Base predictor(s) to adapt: a predictor file or checkpoint, a folder of OFA lookup tables, builtin:note10, or builtin:macs (latency proportional to MACs, for a CPU target); repeat for several, auto picks one. The adapted file embeds the base (a built-in one by name and content hash).", AllowMultipleArgumentsPerToken = false };
        var strategy = new Option<string?>("--strategy") { Description = "Adaptation strategy with --base: head, full, affine, adaproxy, constant, rescale, source-prior or auto (default auto; a source-prior base is adapted by source-prior)." }.OneOf(StrategyCatalog.Names);
        var interpolate = new Option<bool>("--interpolate") { Description = "With a lookup-table base: a resolution between two tables is interpolated layer by layer (recorded in the adapted file); without it a resolution the tables lack is an error (LG0024)." };
        var shots = new Option<int?>("--shots") { Description = "Measurements drawn (seeded) as adaptation shots; the rest calibrate intervals and evaluate (default: all)." };
        var columns = new Option<string?>("--columns") { Description = "Latency columns of several source devices: with an OFA space and no --base, fits a source-prior base from --data; with --space fbnet or nasbench201, the columns of the --base CSV." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout (the file written, the data read, the model or adaptation chosen and its metrics) instead of text." };
        var engine = new Option<string?>("--engine") { Description = "Training engine: managed (default, our own) or torch (TorchSharp/libtorch, found at run time; see doctor)." }.OneOf(ManagedTrainingEngine.EngineNames);
        var command = new Command("fit", "Train a latency predictor from measurements, or adapt a base predictor to a device.") { space, data, latencyColumn, output, seed, model, epochs, device, batchSize, bases, strategy, shots, interpolate, columns, engine, json };
        command.SetAction((pr, cancellationToken) =>
        {
            var summary = new SortedDictionary<string, object?>(StringComparer.Ordinal);
            var code = ProgressDisplay.Run(host, "fit", progress => Run(pr, pr.GetValue(json) ? TextWriter.Null : stdout, summary, progress, cancellationToken));
            if (pr.GetValue(json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(summary, JsonOptions));
            }

            return Task.FromResult(code);
        });
        return command;

        int Run(ParseResult pr, TextWriter stdout, IDictionary<string, object?> summary, IProgress<WorkProgress> progress, CancellationToken cancellationToken)
        {
            var dataFiles = pr.GetValue(data)!;
            string OneDataFile() => dataFiles.Length == 1
                ? dataFiles[0]
                : throw new LatencyGateException(TransferErrors.BadSourcePriorFit, $"--data is given {dataFiles.Length} times; several --data files (one device each) fit a source prior on an OFA space, without --base, --strategy, --shots or --columns");

            // Before any reading: --out naming the measurements (or a table of the base folder) would replace them.
            OutputFile.RefuseInput(
                pr.GetValue(output)!,
                LatencyGate.Monotonicity.SourceTransferFit.Spaces.Contains(pr.GetValue(space)!) ? "the predictions file" : "the predictor file",
                [.. dataFiles.Select(f => ("--data", (string?)f)), .. (pr.GetValue(bases) ?? []).Select(b => ("--base", (string?)b))]);
            // Recorded in the file: 0 or -3 wrote a predictor that every reader then refused (LG0107).
            if (pr.GetValue(batchSize) is { } batch and (< 1 or > MaxBatchSize))
            {
                throw new LatencyGateException(LearningErrors.BadFitOption, string.Create(CultureInfo.InvariantCulture, $"--batch-size must be between 1 and {MaxBatchSize} (the batch the latencies were measured at); got {batch}"));
            }

            // Recorded in the file and printed by predict, evaluate and the reports: any text went in
            // (an empty name, a line break, thousands of characters).
            if (pr.GetValue(device) is { } named && !LatencyGate.Manifest.DeviceNames.IsValidRecorded(named))
            {
                throw new LatencyGateException(LearningErrors.BadFitOption, BadDeviceName(named));
            }

            progress.Report(new WorkProgress("reading " + string.Join(", ", dataFiles.Select(Path.GetFileName))));
            if (LatencyGate.Monotonicity.SourceTransferFit.Spaces.Contains(pr.GetValue(space)!))
            {
                summary["kind"] = "transfer";
                summary["space"] = pr.GetValue(space);
                summary["out"] = pr.GetValue(output);
                return FitFromSources(stdout, pr.GetValue(space)!, pr.GetValue(bases), pr.GetValue(columns), pr.GetValue(strategy), OneDataFile(), pr.GetValue(latencyColumn), pr.GetValue(shots), pr.GetValue(seed), pr.GetValue(output)!, cancellationToken);
            }

            var s = OfaSpace.Get(pr.GetValue(space)!);
            summary["space"] = s.Name;
            summary["out"] = pr.GetValue(output);
            OutputFile.CheckWritable(pr.GetValue(output)!, "the predictor file");
            if (pr.GetValue(columns) is not null || dataFiles.Length > 1)
            {
                if (pr.GetValue(bases) is { Length: > 0 } || pr.GetValue(strategy) is not null || pr.GetValue(shots) is not null || (dataFiles.Length > 1 && pr.GetValue(columns) is not null))
                {
                    throw new LatencyGateException(TransferErrors.BadSourcePriorFit, "a source prior is fit from one --data CSV with --columns (one latency column per device) or from several --data CSVs (one device each, --latency-column), without --base, --strategy or --shots; adapt it afterwards with fit --base PRIOR");
                }

                var prior = pr.GetValue(columns) is { } sourceColumns
                    ? LatencyGate.Monotonicity.SourcePriorFit.Run(dataFiles[0], s.Name, s, CommandParsing.ParseColumns(sourceColumns))
                    : LatencyGate.Monotonicity.SourcePriorFit.RunFiles(dataFiles, s.Name, s, pr.GetValue(latencyColumn) ?? "latency_ms");
                return FitSourcePrior(stdout, summary, prior, pr.GetValue(output)!, pr.GetValue(device), pr.GetValue(batchSize));
            }

            var trainer = TorchHost.Engine(pr.GetValue(engine));
            if (pr.GetValue(bases) is { Length: > 0 } baseFiles)
            {
                return Adapt(stdout, stderr, summary, progress, s, baseFiles, OneDataFile(), pr.GetValue(latencyColumn), pr.GetValue(strategy) ?? "auto", pr.GetValue(shots), pr.GetValue(interpolate), pr.GetValue(seed), pr.GetValue(output)!, pr.GetValue(device), pr.GetValue(batchSize), trainer, cancellationToken);
            }

            if (pr.GetValue(interpolate))
            {
                throw new LatencyGateException(LearningErrors.BadFitOption, "--interpolate applies to a lookup-table base: pass --base FOLDER or --base builtin:note10 too");
            }

            if (pr.GetValue(strategy) is not null || pr.GetValue(shots) is not null)
            {
                throw new LatencyGateException(AdaptationErrors.NeedsBase, "--strategy and --shots adapt a base predictor: pass --base FILE too");
            }

            var kindName = pr.GetValue(model)!;
            if (!LatencyModelKinds.TryParse(kindName, out _))
            {
                throw new LatencyGateException(LearningErrors.BadFitOption, $"unknown --model '{kindName}'; expected additive, additive+mlp or mlp");
            }

            if (pr.GetValue(epochs) is <= 0)
            {
                throw new LatencyGateException(LearningErrors.BadFitOption, "--epochs must be positive");
            }

            var settings = LatencyFitSettings.ForModel(kindName, pr.GetValue(seed), pr.GetValue(epochs), trainer, cancellationToken);
            settings = settings with { Training = settings.Training with { EpochDone = (epoch, total) => progress.Report(new WorkProgress("training", epoch, total) { Unit = "epochs" }) } };
            var measurements = MeasurementsCsv.Read(OneDataFile(), s, pr.GetValue(latencyColumn));
            progress.Report(new WorkProgress($"fitting {kindName}"));
            var deviceName = pr.GetValue(device) ?? Path.GetFileNameWithoutExtension(measurements.Path);
            var result = LatencyModelFitter.Fit(measurements.Items.Select(m => m.Arch).ToArray(), measurements.Items.Select(m => m.LatencyMs).ToArray(), settings, s, deviceName);
            var metrics = TrainingMetrics.Of(result);

            // Cancelled while a step that does not look at the token ran: still nothing is written.
            cancellationToken.ThrowIfCancellationRequested();
            LatencyPredictorFile.Save(pr.GetValue(output)!, result.Predictor, new LatencyPredictorFile.Provenance(deviceName, pr.GetValue(batchSize) ?? MeasuredBatch(measurements), measurements.Sha256, metrics) { MeasuredOn = measurements.Machines });
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"read {measurements.RowCount} rows: {measurements.Items.Count} distinct archs ({measurements.DuplicateRows} repeated rows averaged)"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fitted {result.Predictor.Description} on {result.TrainCount} archs in {result.Seconds:F1} s (engine {trainer.Name})"));
            if (result.Additive is { } chosen)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"additive form: {chosen.Chosen.Form.Name()}, ridge penalty {chosen.Chosen.Lambda:G3}: {chosen.Reason}"));
            }

            if (result.Validation is { } val)
            {
                var what = result.CrossValidated ? $"{AdditiveModelSelection.FoldCount}-fold cross-validation over the {result.TrainCount} archs" : $"validation ({result.ValidationCount} archs held out)";
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: MAE {val.MaeMs:F4} ms, RMSE {val.RmseMs:F4} ms, MAPE {val.MapePct:F2} %, Spearman {EvaluateCommand.Num(val.Spearman, "F4")}"));
            }

            if (FitEvaluationCheck.Warning(result, kindName, s.Name, OneDataFile(), pr.GetValue(output)!) is { } weak)
            {
                stderr.WriteLine(Diagnostic.Warning(LearningErrors.WeakFitEvaluation, weak, new SourceLocation(measurements.Path)).ToString());
            }

            WriteMeasuredOn(stdout, summary, measurements);
            stdout.WriteLine($"wrote {EchoText.OneLine(pr.GetValue(output)!)}");
            summary["kind"] = "fit";
            summary["rows"] = measurements.RowCount;
            summary["distinct_archs"] = measurements.Items.Count;
            summary["model"] = result.Predictor.Description;
            summary["metrics"] = metrics;
            return 0;
        }
    }

    /// <summary>The batch size the rows were measured at, when <c>measure</c> recorded one batch size for all of them.</summary>
    private static string BaseIdentity(string path) =>
        path.StartsWith("builtin:", StringComparison.Ordinal)
            ? path.ToLowerInvariant()
            : OutputFile.FinalTarget(Path.GetFullPath(path)).TrimEnd(Path.DirectorySeparatorChar);

    private static string BadDeviceName(string name)
    {
        var hint = LatencyGate.Manifest.DeviceNames.SuggestRecorded(name) is { } suggestion ? $" (did you mean '{EchoText.Cut(suggestion)}'?)" : string.Empty;
        return $"--device '{EchoText.Cut(name)}' is not a device name to record: 1-64 characters on one line, not blank, without leading or trailing spaces{hint}";
    }

    private static int? MeasuredBatch(MeasurementSet measurements)
    {
        var at = LatencyGate.Measurements.MachineColumns.Names.ToList().IndexOf("batch_size");
        var batches = measurements.Machines.Select(m => m[at]).Distinct(StringComparer.Ordinal).ToArray();
        return batches.Length == 1 && int.TryParse(batches[0], NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b > 0 ? b : null;
    }

    /// <summary>The machines behind the data, as recorded in the file (measure's machine columns).</summary>
    private static void WriteMeasuredOn(TextWriter stdout, IDictionary<string, object?> summary, MeasurementSet measurements)
    {
        var machines = measurements.Machines
            .Select(m => (IReadOnlyList<KeyValuePair<string, string>>)LatencyGate.Measurements.MachineColumns.Names.Zip(m, (k, v) => new KeyValuePair<string, string>(k, v)).ToArray())
            .ToArray();
        foreach (var machine in machines)
        {
            stdout.WriteLine("measured on: " + MeasuredOnMetadata.Describe(machine));
        }

        if (machines.Length > 0)
        {
            summary["measured_on"] = machines.Select(m => m.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)).ToArray();
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>FBNet and NAS-Bench-201 have no predictor files: adapt the sources CSV to the target and write the predictions.</summary>
    private static int FitFromSources(TextWriter stdout, string space, string[]? baseFiles, string? columns, string? strategy, string dataPath, string? latencyColumn, int? shots, ulong seed, string output, CancellationToken cancellationToken)
    {
        if (baseFiles is not { Length: 1 } || columns is null)
        {
            throw new LatencyGateException(MonotonicityErrors.BadTransferFit, $"fit --space {space} adapts the devices you have to a new one: pass one --base CSV (arch column and one latency column per source device) and --columns naming those columns");
        }

        if (strategy is not null && !string.Equals(strategy, "auto", StringComparison.OrdinalIgnoreCase))
        {
            throw new LatencyGateException(MonotonicityErrors.BadTransferFit, $"fit --space {space} has one adaptation (auto: structure+proxy-adaptive from every source); --strategy {strategy} is for OFA predictors");
        }

        if (shots is <= 0)
        {
            throw new LatencyGateException(AdaptationErrors.TooFewShots, "--shots must be positive");
        }

        var sources = LatencyGate.Monotonicity.MeasurementTable.Read(baseFiles[0]);
        var target = LatencyGate.Monotonicity.MeasurementTable.Read(dataPath);
        var names = CommandParsing.ParseColumns(columns);
        cancellationToken.ThrowIfCancellationRequested();
        var outcome = LatencyGate.Monotonicity.SourceTransferFit.Run(space, sources, names, target, latencyColumn ?? "latency_ms", shots, seed);
        cancellationToken.ThrowIfCancellationRequested();
        var text = LatencyGate.Monotonicity.SourceTransferFit.ToCsv(outcome);
        LatencyGate.Files.OutputFile.Write(output, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(text)), "the predictions file");
        foreach (var line in outcome.Report)
        {
            stdout.WriteLine(line);
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {EchoText.OneLine(output)}: predicted latency of {outcome.Archs.Count} archs (arch,predicted_ms)"));
        return 0;
    }

    /// <summary>Several devices' measurements (one latency column each) to a source-prior base file.</summary>
    private static int FitSourcePrior(TextWriter stdout, IDictionary<string, object?> summary, LatencyGate.Monotonicity.SourcePriorFit.Outcome outcome, string output, string? device, int? batchSize)
    {
        var names = outcome.Prior.Sources;
        var metrics = new Dictionary<string, double> { ["rows"] = outcome.Rows, ["sources"] = names.Count };
        SourcePriorFile.Save(output, outcome.Prior, new LatencyPredictorFile.Provenance(device, batchSize, outcome.Sha256, metrics));
        foreach (var line in outcome.Report)
        {
            stdout.WriteLine(line);
        }

        stdout.WriteLine($"wrote {EchoText.OneLine(output)}");
        summary["kind"] = "source-prior";
        summary["rows"] = outcome.Rows;
        summary["sources"] = names;
        summary["report"] = outcome.Report;
        return 0;
    }

    private static int Adapt(TextWriter stdout, TextWriter stderr, IDictionary<string, object?> summary, IProgress<WorkProgress> progress, OfaSpace space, string[] baseFiles, string dataPath, string? latencyColumn, string strategy, int? shots, bool interpolate, ulong seed, string output, string? device, int? batchSize, ITrainingEngine trainer, CancellationToken cancellationToken)
    {
        if (shots is <= 0)
        {
            throw new LatencyGateException(AdaptationErrors.TooFewShots, "--shots must be positive");
        }

        // One base named twice (also through a link, or builtin:NOTE10 beside builtin:note10) was adapted
        // as two: an "ensemble of all 2 bases" of one predictor.
        var twice = baseFiles.GroupBy(BaseIdentity, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new LatencyGateException(LearningErrors.BadFitOption, $"--base names {string.Join(" and ", twice.Select(b => $"'{EchoText.Cut(b)}'").Distinct())} {twice.Count()} times: one base counted as several; give each base once");
        }

        var basePredictors = baseFiles.Select(f => PredictorLoader.Load(space, null, f, interpolate)).ToArray();
        if (interpolate && !basePredictors.Any(b => b is LatencyGate.Predictors.Lut.LookupTablePredictor))
        {
            throw new LatencyGateException(LearningErrors.BadFitOption, "--interpolate applies to a lookup-table base (a folder of OFA tables or builtin:note10); no --base is one");
        }

        if (basePredictors.Length == 1)
        {
            LatencyGate.Adaptation.AdaptedPredictorFile.RequireStorableBase(basePredictors[0], output);
        }

        var measurements = MeasurementsCsv.Read(dataPath, space, latencyColumn);
        progress.Report(new WorkProgress($"adapting ({strategy})"));
        var outcome = LatencyGate.Adaptation.AdaptationRun.Run(basePredictors, measurements.Items.Select(m => (m.Arch, m.LatencyMs)).ToArray(), strategy, shots, seed, trainer, cancellationToken);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"read {measurements.RowCount} rows: {measurements.Items.Count} distinct archs"));
        foreach (var line in outcome.Report)
        {
            stdout.WriteLine(line);
        }

        if (outcome.Warning is { } warning)
        {
            stderr.WriteLine(Diagnostic.Warning(AdaptationErrors.IntervalsWidened, warning).ToString());
        }

        if (outcome.ShotsWarning is { } shotsWarning)
        {
            stderr.WriteLine(Diagnostic.Warning(AdaptationErrors.ShotsCapped, shotsWarning, new SourceLocation("--shots")).ToString());
        }

        var metrics = TrainingMetrics.OfAdaptation(outcome.Shots, outcome.HeldOut);

        var deviceName = device ?? Path.GetFileNameWithoutExtension(measurements.Path);
        // The bases the adaptation references are embedded (the chosen one, or all of a library ensemble), no other.
        cancellationToken.ThrowIfCancellationRequested();
        LatencyGate.Adaptation.AdaptedPredictorFile.Save(output, outcome.WithIntervals, outcome.UsedBases.Select(i => basePredictors[i]).ToArray(), outcome.Strategy, outcome.Report, new LatencyPredictorFile.Provenance(deviceName, batchSize ?? MeasuredBatch(measurements), measurements.Sha256, metrics) { MeasuredOn = measurements.Machines });
        WriteMeasuredOn(stdout, summary, measurements);
        stdout.WriteLine($"wrote {EchoText.OneLine(output)}");
        summary["kind"] = "adapt";
        summary["rows"] = measurements.RowCount;
        summary["distinct_archs"] = measurements.Items.Count;
        summary["strategy"] = outcome.Strategy;
        summary["metrics"] = metrics;
        summary["report"] = outcome.Report;
        return 0;
    }
}
