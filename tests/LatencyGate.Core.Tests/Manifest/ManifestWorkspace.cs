namespace LatencyGate.Tests.Manifest;

/// <summary>A temporary folder holding a manifest and the files it names.</summary>
internal sealed class ManifestWorkspace : IDisposable
{
    public const string ValidManifest = """
        # yaml-language-server: $schema=../schema/latency-gate.schema.json
        version: 1
        space: ofa-mbv3-w1.0
        accuracy:
          predictor: ofa/acc.pth
        model:
          arch: model/arch.json
        search:
          mode: per-device
          resolutions: [160, 176, 192]
          population: 50
          generations: 20
          seed: 7
          thorough: true
          accuracy_floor: 0.75
        defaults:
          batch_size: 1
          confidence: 0.9
          warn_margin: 10%
        devices:
          - name: note10
            budget_ms: 25
            predictor:
              lut: luts/note10
          - name: pixel4
            budget_ms: 30.5
            warn_margin: 2ms
            confidence: 0.95
            predictor:
              finetune:
                base: predictors/base.safetensors
                measurements: data/pixel4.csv
                strategy: adaproxy
                shots: 20
          - name: jetson
            budget_ms: 12
            batch_size: 8
            hardware:
              kind: gpu
              cores: 256
              memory_gb: 8
              memory_bandwidth_gbps: 59.7
              peak_fp32_gflops: 1330
            predictor:
              generalized:
                predictor: predictors/generalized.safetensors
          - name: tx2
            budget_ms: 40
            predictor:
              proxy:
                device: note10
                measurements: data/tx2.csv
          - name: cpu
            budget_ms: 50
            predictor:
              calibrate:
                base: predictors/base.safetensors
                measurements: data/cpu.csv
                latency_column: ms
          - name: gpu
            budget_ms: 5
            predictor:
              file: predictors/gpu.safetensors
        outputs:
          dir: out/reports
          formats: [json, sarif]

        """;

    public ManifestWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "lg-manifest-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        foreach (var dir in new[] { "luts/note10", "ofa", "model", "predictors", "data" })
        {
            Directory.CreateDirectory(Path.Combine(Root, dir));
        }

        foreach (var file in new[] { "ofa/acc.pth", "model/arch.json", "predictors/base.safetensors", "predictors/generalized.safetensors", "predictors/gpu.safetensors", "data/pixel4.csv", "data/tx2.csv", "data/cpu.csv" })
        {
            File.WriteAllText(Path.Combine(Root, file), "x");
        }
    }

    public string Root { get; }

    public string ManifestPath => Path.Combine(Root, "latency-gate.yaml");

    public LatencyGate.Manifest.ManifestLoadResult Load(string text) =>
        LatencyGate.Manifest.ManifestLoader.LoadText(text, ManifestPath);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
