using System.Diagnostics;
using LatencyGate.Adaptation;
using LatencyGate.Adaptation.Features;
using LatencyGate.Predictors;
using LatencyGate.Randomness;
using LatencyGate.Spaces;

namespace LatencyGate.Benchmarks.Adaptation;

/// <summary>
/// Few-shot transfer on the seed paper's paired OFA data (ofanas-perfest/flat/ofa_mbv3_paired_3devices.csv):
/// Note10 → RTX 2080 Ti, Note10 → P40, RTX 2080 Ti → P40. The source base is fitted on the source's
/// first 7,000 rows; K target shots are drawn from the first 7,000 rows (3 seeds, medians reported);
/// the test set is the last 1,500 rows. Baselines in the same run: the paper's protocol (its published
/// source MLP, output layer retrained: <c>head</c>) and the affine rescale. <c>full [paper-mlp]</c> is
/// what the seed paper calls fine-tuning: every layer of that same source MLP trained on the shots
/// (L2-SP toward its rescaled weights), run on the product's learned predictor built from the raw weights.
/// </summary>
internal sealed class TransferBenchmark : IAccuracyBenchmark
{
    internal static readonly int[] ShotCounts = [5, 10, 20, 50, 100, 700];
    internal static readonly ulong[] Seeds = [1, 2, 3];

    private static readonly (string Source, string SourceColumn, string? PaperModel, string Target, string TargetColumn)[] Pairs =
    [
        ("Note10", "lat_note10_lut_ms", "note10_ofa.f32", "RTX 2080 Ti", "lat_rtx2080ti_gpu_bs64_ms"),
        ("Note10", "lat_note10_lut_ms", "note10_ofa.f32", "Tesla P40", "lat_teslap40_gpu_bs64_ms"),
        ("RTX 2080 Ti", "lat_rtx2080ti_gpu_bs64_ms", "rtx2080ti_ofa.f32", "Tesla P40", "lat_teslap40_gpu_bs64_ms"),
    ];

    public string Name => "adaptation-transfer";

    public IEnumerable<AccuracyRow> Run(BenchmarkContext context)
    {
        var table = ReferenceTable.Load(context.DataPath("ofanas-perfest", "flat", "ofa_mbv3_paired_3devices.csv"), OfaSpace.W10);
        var testRows = Enumerable.Range(table.Archs.Length - 1500, 1500).ToArray();
        var testArchs = testRows.Select(i => table.Archs[i]).ToArray();
        foreach (var pair in Pairs)
        {
            var watch = Stopwatch.StartNew();
            var sourceShots = table.Shots(pair.SourceColumn, Enumerable.Range(0, 7000));
            var ourBase = LinearLatencyModel.Fit(new StructuredFeatures(OfaSpace.W10), OfaSpace.W10, sourceShots, pair.Source);
            var baseSeconds = watch.Elapsed.TotalSeconds;
            var bases = new List<(string Label, ILatencyPredictor Base)> { ("additive", ourBase) };
            var networks = new List<(string Label, ILatencyPredictor Base)>();
            if (pair.PaperModel is not null)
            {
                var weights = context.DataPath("ofanas-perfest", "predictor_weights", pair.PaperModel);
                bases.Add(("paper-mlp", new CachedTrunk(new PaperMlpTrunk(weights, OfaSpace.W10, pair.Source))));
                networks.Add(("paper-mlp", PaperMlpTrunk.Network(weights, OfaSpace.W10, pair.Source)));
            }

            var task = $"transfer {pair.Source}->{pair.Target}";
            var measured = testRows.Select(i => table.Column(pair.TargetColumn)[i]).ToArray();
            foreach (var row in RunShots(task, pair.Target, table, pair.TargetColumn, bases, testArchs, measured, baseSeconds, networks: networks))
            {
                yield return row;
            }
        }
    }

    private static string WeightingLabel(EnsembleWeighting weighting) => weighting switch
    {
        EnsembleWeighting.Equal => "equal weights",
        EnsembleWeighting.InverseCvError => "weights 1/CV error",
        _ => "pseudo-BMA weights",
    };

    /// <summary>Every (method, K): median over seeds. Shared with the library variant.</summary>
    internal static IEnumerable<AccuracyRow> RunShots(
        string task,
        string device,
        ReferenceTable table,
        string targetColumn,
        IReadOnlyList<(string Label, ILatencyPredictor Base)> bases,
        Arch[] testArchs,
        double[] measured,
        double baseSeconds,
        bool library = false,
        IReadOnlyList<(string Label, ILatencyPredictor Base)>? networks = null,
        int shotPool = 7000)
    {
        var methods = new List<(string Name, Func<IReadOnlyList<LatencyShot>, ulong, (ILatencyPredictor Predictor, string? Note)> Fit)>();
        var primary = bases[0].Base;
        if (!library)
        {
            foreach (var (label, b) in bases)
            {
                if (new HeadStrategy().Supports(b))
                {
                    methods.Add(($"head [{label}] (paper protocol)", (s, seed) => (new HeadStrategy().Adapt(b, s, seed), null)));
                }
            }

            foreach (var (label, n) in networks ?? [])
            {
                methods.Add(($"full [{label}] (paper fine-tuning)", (s, seed) => (new FullStrategy().Adapt(n, s, seed), null)));
            }

            methods.Add(("affine [additive]", (s, seed) => (new AffineStrategy().Adapt(primary, s, seed), null)));
            methods.Add(("full [additive]", (s, seed) => (new FullStrategy().Adapt(primary, s, seed), null)));
            methods.Add(("adaproxy [additive]", (s, seed) => (CrossConformal.Adapt(new AdaProxyStrategy(), primary, s, seed), null)));
        }
        else
        {
            methods.Add(("affine [best-ranked library base]", (s, seed) =>
            {
                var choice = new AutoStrategy([new AffineStrategy()], LibraryMode.None).Choose(bases.Select(b => b.Base).ToArray(), s, seed);
                return (choice.Predictor, bases[choice.BaseIndex].Label);
            }));
            methods.Add(("adaproxy [best-ranked library base]", (s, seed) =>
            {
                var chooser = new AutoStrategy([new AffineStrategy()], LibraryMode.None).Choose(bases.Select(b => b.Base).ToArray(), s, seed);
                return (CrossConformal.Adapt(new AdaProxyStrategy(), bases[chooser.BaseIndex].Base, s, seed), bases[chooser.BaseIndex].Label);
            }));
            methods.Add(("adaproxy [rank-weighted library blend]", (s, seed) =>
            {
                var blend = BlendedBase.Fit(bases.Select(b => b.Base).ToArray(), s);
                var weights = string.Join("/", blend.Weights.Select(w => w.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)));
                return (CrossConformal.Adapt(new AdaProxyStrategy(), blend, s, seed), weights);
            }));
            foreach (var weighting in new[] { EnsembleWeighting.Equal, EnsembleWeighting.InverseCvError, EnsembleWeighting.PseudoBma })
            {
                var label = WeightingLabel(weighting);
                methods.Add(($"adaproxy [library ensemble, {label}]", (s, seed) =>
                {
                    var all = bases.Select(b => b.Base).ToArray();
                    var ensemble = CrossConformal.Adapt((train, sd) => LibraryEnsemble.Fit(new AdaProxyStrategy(), all, train, sd, weighting), 1, s, seed);
                    var weights = string.Join("/", ((LibraryEnsemblePredictor)ensemble.Inner).Weights.Select(w => w.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)));
                    return (ensemble, weights);
                }));
            }

            // auto as it was before library ensembles, for comparison with the auto row below.
            methods.Add(("auto [single base only, before]", (s, seed) =>
            {
                var choice = new AutoStrategy(library: LibraryMode.None).Choose(bases.Select(b => b.Base).ToArray(), s, seed);
                return (choice.Predictor, $"{bases[choice.BaseIndex].Label}/{choice.Strategy}");
            }));
        }

        methods.Add(("auto", (s, seed) =>
        {
            var choice = new AutoStrategy().Choose(bases.Select(b => b.Base).ToArray(), s, seed);
            return (choice.Predictor, choice.IsEnsemble ? choice.Strategy : $"{bases[choice.BaseIndex].Label}/{choice.Strategy}");
        }));

        foreach (var k in ShotCounts)
        {
            foreach (var method in methods)
            {
                var runs = new List<Evaluation>();
                var notes = new List<string>();
                foreach (var seed in Seeds)
                {
                    var shots = table.RandomShots(targetColumn, shotPool, k, new SeededRandom((seed * 7919) + (ulong)k));
                    var watch = Stopwatch.StartNew();
                    var (predictor, note) = method.Fit(shots, seed);
                    var fitSeconds = watch.Elapsed.TotalSeconds;
                    var predicted = new double[testArchs.Length];
                    predictor.Predict(testArchs, predicted);
                    var evaluation = Evaluation.Of(predicted, measured, fitSeconds);
                    if (predictor.IntervalMethod != IntervalMethod.None)
                    {
                        evaluation = evaluation.WithIntervals(predictor, testArchs, measured);
                    }

                    runs.Add(evaluation);
                    if (note is not null)
                    {
                        notes.Add(note);
                    }
                }

                var extra = new Dictionary<string, object>(StringComparer.Ordinal) { ["seeds"] = Seeds.Length, ["base_fit_s"] = Math.Round(baseSeconds, 3) };
                if (notes.Count > 0)
                {
                    extra["chosen"] = string.Join(";", notes);
                }

                yield return Evaluation.Median(runs).ToRow(task, method.Name, device, k, testArchs.Length, extra);
            }
        }
    }
}
