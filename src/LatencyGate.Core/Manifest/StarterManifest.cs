using LatencyGate.Spaces;

namespace LatencyGate.Manifest;

/// <summary>
/// The files <c>init</c> writes: a commented starter manifest that loads cleanly as written, the
/// shipped-model arch it points at, and a folder for the device's lookup tables.
/// </summary>
internal static class StarterManifest
{
    public const string ArchPath = "latency-gate/arch.json";
    public const string DefaultLutPath = "latency-gate/lut";
    public const string SchemaPath = "latency-gate/latency-gate.schema.json";

    /// <summary>
    /// Relative path → content. <paramref name="lutPath"/> (relative to the manifest) replaces the
    /// placeholder lookup-table folder; <paramref name="schemaPath"/> is the JSON Schema reference
    /// for editors (yaml-language-server).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Files(OfaSpace space, string? lutPath = null, string? schemaPath = null)
    {
        var files = new List<KeyValuePair<string, string>>
        {
            new(LatencyGateManifest.DefaultFileName, Manifest(space, lutPath ?? DefaultLutPath, schemaPath ?? SchemaPath)),
            new(ArchPath, Arch),
        };
        if (schemaPath is null)
        {
            files.Add(new(SchemaPath, SchemaText()));
        }

        if (lutPath is null)
        {
            files.Add(new(DefaultLutPath + "/README.md", LutReadme));
        }

        return files;
    }

    /// <summary>
    /// The files an earlier <c>init</c> may have written that a later one leaves out: the placeholder
    /// table folder (its README) when <c>--lut</c> is given, the schema copy when <c>--schema</c> is.
    /// Each with the exact text init writes, so a file a user has edited is told apart and kept, and
    /// whether the file stands for its whole folder (the placeholder does; the schema shares its folder).
    /// </summary>
    public static IReadOnlyList<StarterFile> OptionalFiles() =>
    [
        new(DefaultLutPath + "/README.md", LutReadme, OwnsFolder: true),
        new(SchemaPath, SchemaText(), OwnsFolder: false),
    ];

    /// <summary>The manifest's JSON Schema (schema/latency-gate.schema.json, embedded).</summary>
    public static string SchemaText()
    {
        using var stream = typeof(StarterManifest).Assembly.GetManifestResourceStream("LatencyGate.Manifest.latency-gate.schema.json")
            ?? throw new InvalidOperationException("the manifest schema resource is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    // A small sub-network, valid in both spaces, that the starter's 25 ms budget passes with room on
    // the built-in Note10 tables (19.86 ms, below the 22.5 ms warn line), so a newcomer's first
    // check is green; users replace it with the arch they ship.
    private const string Arch = """
        {"ks": [3, 5, 3, 3, 5, 5, 3, 3, 5, 3, 3, 3, 5, 5, 3, 3, 5, 3, 3, 3],
         "e": [3, 4, 3, 3, 4, 4, 3, 3, 4, 3, 3, 3, 4, 4, 3, 3, 4, 4, 3, 3],
         "d": [2, 3, 2, 3, 2],
         "r": [192]}

        """;

    private const string LutReadme = """
        # Lookup tables for the starter device

        Put one OFA latency lookup table per resolution here, named `{r}_lookup_table.yaml`
        (for example `192_lookup_table.yaml`), or point the device's `predictor` in
        `latency-gate.yaml` at another source (`file`, `finetune`, `generalized`, `proxy`,
        `calibrate`). See docs/manifest.md.

        """;

    /// <summary>
    /// A path as a YAML scalar that reads back as exactly that text: plain when it is a plain path
    /// (`latency-gate/lut`, `builtin:note10`), double-quoted otherwise. Written verbatim, a folder named
    /// `t #1` was read back as `t` (the rest a comment) and one starting with a quote broke the manifest.
    /// </summary>
    internal static string YamlText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var plain = text.Length > 0
            && (char.IsAsciiLetterOrDigit(text[0]) || text[0] is '_' or '.' or '/')
            && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or '-' or '+' or ':' or '@')
            && !text.EndsWith(':')
            && !double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)
            && !new[] { "null", "true", "false", "yes", "no", "on", "off", "y", "n" }.Contains(text, StringComparer.OrdinalIgnoreCase);
        if (plain)
        {
            return text;
        }

        var quoted = new System.Text.StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>The starter's note beside its tables: what the built-in ones are, or that they exist.</summary>
    private static string LutComment(string lutPath) => Predictors.Profiles.BuiltinProfiles.IsReference(lutPath)
        ? "OFA's Note10 tables, built in (ofa-mbv3-w1.2; 'dotnet latency-gate profiles')"
        : "or builtin:note10 (OFA's Note10 tables, ofa-mbv3-w1.2)";

    private static string Manifest(OfaSpace space, string lutPath, string schemaPath) => $$"""
        # yaml-language-server: $schema={{schemaPath}}
        # LatencyGate manifest: the gate `dotnet latency-gate check` applies in CI.
        # Every key is documented in docs/manifest.md. Paths are relative to this file.

        # Manifest format version (only 1 exists).
        version: 1

        # The Once-for-All search space the network comes from: ofa-mbv3-w1.0 or ofa-mbv3-w1.2.
        space: {{space.Name}}

        # What search maximizes: OFA's accuracy predictor, or the MACs proxy when you have none.
        accuracy: macs
        # accuracy:
        #   predictor: builtin:ofa-w1.2   # OFA's accuracy predictor, built in (ofa-mbv3-w1.2 only)

        # The sub-network you ship (OFA arch JSON: ks, e, d, r). `check` predicts it on every device.
        model:
          arch: {{ArchPath}}

        # Uncomment to search each device's most accurate sub-network under its budget instead of
        # (or as well as) checking the shipped one. Defaults are OFA's.
        # search:
        #   mode: per-device          # or: shared (one sub-network meeting every budget)
        #   resolutions: [160, 176, 192, 208, 224]
        #   population: 100
        #   generations: 500
        #   seed: 0
        #   thorough: false
        #   accuracy_floor: 0.76      # fail when the best sub-network within budget is below this

        # Applied to every device that does not set its own value.
        defaults:
          batch_size: 1
          warn_margin: 0.1            # warn within 10% of the budget ("10%" or "2ms" also work)
          # confidence: 0.95          # gate on the upper bound of a 95% prediction interval

        devices:
          - name: my-phone
            budget_ms: 25
            # hardware: {kind: cpu, cores: 8, memory_gb: 8, memory_bandwidth_gbps: 44, peak_fp32_gflops: 200}
            predictor:
              lut: {{YamlText(lutPath)}}             # {{LutComment(lutPath)}}
              # lut: {path: tables/, interpolate: true}   # interpolate resolutions without a table
              # file: predictors/my-phone.safetensors
              # finetune: {base: predictors/note10.safetensors, measurements: data/my-phone.csv, strategy: auto}
              # generalized: {predictor: predictors/generalized.safetensors}   # needs hardware above
              # proxy: {device: other-device, measurements: data/my-phone.csv}
              # calibrate: {base: predictors/my-phone.safetensors, measurements: data/my-phone.csv}

        # Reports written by `check` (the console summary is always printed).
        outputs:
          dir: latency-gate-reports
          formats: [json, junit, markdown, sarif]

        """;
}

/// <summary>A file <c>init</c> writes: its path relative to the manifest and its text.</summary>
internal sealed record StarterFile(string RelativePath, string Text, bool OwnsFolder);
