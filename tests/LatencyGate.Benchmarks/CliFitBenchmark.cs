using System.Diagnostics;
using LatencyGate.Adaptation;
using LatencyGate.Benchmarks.Adaptation;
using LatencyGate.Learning;
using LatencyGate.Numerics;
using LatencyGate.Predictors;
using LatencyGate.Spaces;
using LatencyGate.Spaces.Encodings;

namespace LatencyGate.Benchmarks;

/// <summary>
/// What a user's <c>fit</c> gives, on each of HELP's 12 OFA GPU settings: the call <c>fit</c> makes
/// (<see cref="LatencyFitSettings.ForModel"/> with the CLI's default model and seed, then
/// <see cref="LatencyModelFitter.Fit(IReadOnlyList{Arch}, IReadOnlyList{double}, LatencyFitSettings, OfaSpace, string?)"/>
/// with its own validation split) trained on archs 0–3,999 and tested on 4,000–4,999, next to ridge
/// on the same one-hot encoding (penalty by 5-fold cross-validation on the same training rows). The
/// <c>-dev</c> variant trains on 0–2,999 and tests on 3,000–3,999 (never on the reported rows) and
/// adds additive+mlp and each additive form alone: the default (the additive model, form by
/// cross-validation with the one-standard-error rule) was chosen there.
/// </summary>
internal sealed class CliFitBenchmark(bool dev = false) : IAccuracyBenchmark
{
    private const ulong CliSeed = 1;

    public string Name => dev ? "cli-fit-dev" : "cli-fit";

    public IEnumerable<AccuracyRow> Run(BenchmarkContext context)
    {
        var help = ReferenceTable.Load(context.DataPath("help", "ofa", "ofa_mbv3_gpu_latency.csv"), OfaSpace.W12);
        var (trainEnd, testEnd) = dev ? (3000, 4000) : (4000, 5000);
        var settings = new[]
        {
            "2080ti_1", "2080ti_32", "2080ti_64", "titan_rtx_1", "titan_rtx_32", "titan_rtx_64",
            "titan_xp_1", "titan_xp_32", "titan_xp_64", "v100_1", "v100_32", "v100_64",
        };
        var train = help.Archs[..trainEnd];
        var test = help.Archs[trainEnd..testEnd];
        foreach (var setting in settings)
        {
            var y = help.Column("lat_ms_" + setting);
            var trainMs = y[..trainEnd];
            var testMs = y[trainEnd..testEnd];
            yield return Fit("fit (CLI default)", setting, LatencyFitSettings.ForModel(LatencyFitSettings.DefaultModel, CliSeed), train, trainMs, test, testMs);
            yield return RidgeOneHot(setting, train, trainMs, test, testMs);
            if (dev)
            {
                yield return Fit("fit --model additive+mlp", setting, LatencyFitSettings.ForModel("additive+mlp", CliSeed), train, trainMs, test, testMs);
                foreach (var form in Enum.GetValues<AdditiveForm>())
                {
                    yield return AdditiveOnly(form, setting, train, trainMs, test, testMs);
                }
            }
        }
    }

    private AccuracyRow Fit(string method, string setting, LatencyFitSettings settings, Arch[] train, double[] trainMs, Arch[] test, double[] testMs)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var result = LatencyModelFitter.Fit(train, trainMs, settings, OfaSpace.W12, setting);
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var extra = new Dictionary<string, object>
        {
            ["model"] = result.Predictor.Kind.Name(),
            ["cpu_s"] = cpuSeconds,
        };
        if (result.Additive is { } a)
        {
            extra["form"] = a.Chosen.Form.Name();
            extra["lambda"] = a.Chosen.Lambda;
            extra["why"] = a.Reason;
        }

        if (result.Validation is { } v)
        {
            extra[result.CrossValidated ? "cv_mape" : "val_mape"] = v.MapePct;
            extra[result.CrossValidated ? "cv_rho" : "val_rho"] = v.Spearman;
        }

        return Row(method, setting, result.Predictor.PredictAll(test), testMs, result.Seconds, train.Length) with { Extra = extra };
    }

    /// <summary>One additive form alone, its penalty chosen and refitted exactly as the default does, to compare forms.</summary>
    private AccuracyRow AdditiveOnly(AdditiveForm form, string setting, Arch[] train, double[] trainMs, Arch[] test, double[] testMs)
    {
        var knots = train.Select(a => a.Resolution).Distinct().Count();
        if (form == AdditiveForm.PerResolution && train.Length * (AdditiveModelSelection.FoldCount - 1) / AdditiveModelSelection.FoldCount < AdditiveForms.ColumnCount(form, knots))
        {
            return Row("dev: additive " + form.Name(), setting, [], testMs, 0, train.Length) with { Extra = new Dictionary<string, object> { ["skipped"] = "fewer rows than parameters" } };
        }

        var watch = Stopwatch.StartNew();
        var selection = AdditiveModelSelection.Fit(train, trainMs, CliSeed, [form]);
        watch.Stop();
        return Row("dev: additive " + form.Name(), setting, test.Select(selection.Model.Predict).ToArray(), testMs, watch.Elapsed.TotalSeconds, train.Length) with
        {
            Extra = new Dictionary<string, object> { ["lambda"] = selection.Chosen.Lambda, ["cv_mape"] = selection.Chosen.CrossValidated.MapePct, ["cv_rho"] = selection.Chosen.CrossValidated.Spearman },
        };
    }

    /// <summary>The baseline: ridge on OFA's one-hot encoding, λ by 5-fold cross-validated MAE over the training rows (the folds <c>fit</c> deals), refitted on all of them.</summary>
    private AccuracyRow RidgeOneHot(string setting, Arch[] train, double[] trainMs, Arch[] test, double[] testMs)
    {
        var watch = Stopwatch.StartNew();
        static SparseRows Design(IEnumerable<Arch> archs)
        {
            var rows = new SparseRows(TutorialOneHotEncoding.Size);
            var idx = new int[TutorialOneHotEncoding.MaxNonZero];
            foreach (var a in archs)
            {
                var n = TutorialOneHotEncoding.Indices(a, idx);
                rows.AddRow(idx[..n].Order().Select(i => (i, 1.0)).ToArray());
            }

            return rows;
        }

        var lambdas = AdditiveModelSelection.Lambdas;
        var cvError = new double[lambdas.Length];
        var folds = AdditiveModelSelection.Folds(train.Length, CliSeed);
        for (var fold = 0; fold < AdditiveModelSelection.FoldCount; fold++)
        {
            var inFold = Enumerable.Range(0, train.Length).Where(i => folds[i] == fold).ToArray();
            var outFold = Enumerable.Range(0, train.Length).Where(i => folds[i] != fold).ToArray();
            var fits = SparseRidge.FitPath(Design(outFold.Select(i => train[i])), outFold.Select(i => trainMs[i]).ToArray(), lambdas);
            var held = Design(inFold.Select(i => train[i]));
            for (var l = 0; l < lambdas.Length; l++)
            {
                for (var r = 0; r < inFold.Length; r++)
                {
                    cvError[l] += Math.Abs(held.Dot(r, fits[l].Weights) + fits[l].Intercept - trainMs[inFold[r]]);
                }
            }
        }

        var best = Array.IndexOf(cvError, cvError.Min());
        var (w, b) = SparseRidge.Fit(Design(train), trainMs, lambdas[best]);
        watch.Stop();
        var xt = Design(test);
        var predicted = Enumerable.Range(0, test.Length).Select(i => xt.Dot(i, w) + b).ToArray();
        return Row("baseline: ridge on one-hot-128", setting, predicted, testMs, watch.Elapsed.TotalSeconds, train.Length) with
        {
            Extra = new Dictionary<string, object> { ["lambda"] = lambdas[best] },
        };
    }

    private AccuracyRow Row(string method, string setting, double[] predicted, double[] measured, double seconds, int trainCount)
    {
        if (predicted.Length == 0)
        {
            return new AccuracyRow(Name, method, setting, trainCount, measured.Length, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0);
        }

        var m = LatencyMetrics.Compute(predicted, measured);
        return new AccuracyRow(Name, method, setting, trainCount, m.Count, m.MaeMs, m.RmseMs, m.MapePct, m.Within10Pct, m.Spearman, m.Kendall, seconds);
    }
}
