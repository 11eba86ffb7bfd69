using LatencyGate.Diagnostics;
using LatencyGate.Manifest;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Manifest;

public sealed class ManifestLoaderTests : IDisposable
{
    private readonly ManifestWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void Valid_manifest_loads_every_value_with_its_location()
    {
        var result = _ws.Load(ManifestWorkspace.ValidManifest);

        result.Diagnostics.ShouldBeEmpty();
        var m = result.Manifest.ShouldNotBeNull();
        m.Space.Value.ShouldBe(OfaSpace.W10);
        m.Space.Location.Line.ShouldBe(3);
        m.Accuracy.IsMacsProxy.ShouldBeFalse();
        m.ShippedArch!.FullPath.ShouldBe(Path.Combine(_ws.Root, "model", "arch.json"));
        var search = m.Search.ShouldNotBeNull();
        search.Resolutions.Value.ShouldBe([160, 176, 192]);
        search.Population.Value.ShouldBe(50);
        search.Seed.Value.ShouldBe(7UL);
        search.Thorough.Value.ShouldBeTrue();
        search.AccuracyFloor!.Value.ShouldBe(0.75);
        search.ParentRatio.Value.ShouldBe(0.25);
        m.Devices.Select(d => d.Name.Value).ShouldBe(["note10", "pixel4", "jetson", "tx2", "cpu", "gpu"]);

        var note10 = m.Devices[0];
        note10.BudgetMs.Value.ShouldBe(25);
        note10.BudgetMs.Location.ShouldBe(new SourceLocation(_ws.ManifestPath, 22, 16));
        note10.Confidence!.Value.ShouldBe(0.9);
        note10.WarnMargin.Value.ShouldBe(new WarnMargin(0.1, false));
        note10.Predictor.ShouldBeOfType<LutSource>().Directory.Text.ShouldBe("luts/note10");

        var pixel4 = m.Devices[1];
        pixel4.WarnMargin.Value.ShouldBe(new WarnMargin(2, true));
        pixel4.WarnMargin.Value.MillisecondsFor(30.5).ShouldBe(2);
        pixel4.Confidence!.Value.ShouldBe(0.95);
        var ft = pixel4.Predictor.ShouldBeOfType<FinetuneSource>();
        ft.Strategy.Value.ShouldBe("adaproxy");
        ft.Shots!.Value.ShouldBe(20);

        var jetson = m.Devices[2];
        jetson.BatchSize.Value.ShouldBe(8);
        jetson.Predictor.ShouldBeOfType<GeneralizedSource>().Hardware.PeakFp32Gflops.ShouldBe(1330);
        m.Devices[3].Predictor.ShouldBeOfType<ProxySource>().Device.Value.ShouldBe("note10");
        m.Devices[4].Predictor.ShouldBeOfType<CalibrateSource>().LatencyColumn!.Value.ShouldBe("ms");
        m.Devices[5].Predictor.ShouldBeOfType<FileSource>();
        m.Outputs.Formats.Value.ShouldBe([ReportFormat.Json, ReportFormat.Sarif]);
        m.Outputs.Directory.FullPath.ShouldBe(Path.Combine(_ws.Root, "out", "reports"));
    }

    [Fact]
    public void Five_different_mistakes_are_all_reported_with_line_and_column()
    {
        var text = ManifestWorkspace.ValidManifest
            .Replace("space: ofa-mbv3-w1.0", "space: ofa-mbv3-w1.1", StringComparison.Ordinal)           // 1: unknown space (line 3)
            .Replace("    budget_ms: 25\n", "    budget_ms: -25\n", StringComparison.Ordinal)             // 2: budget <= 0 (line 22)
            .Replace("    confidence: 0.95\n", "    confidense: 0.95\n", StringComparison.Ordinal)       // 3: unknown key (line 28)
            .Replace("strategy: adaproxy", "strategy: adaprxy", StringComparison.Ordinal)                    // 4: unknown strategy (line 33)
            .Replace("measurements: data/tx2.csv", "measurements: data/tx3.csv", StringComparison.Ordinal); // 5: missing file (line 52)

        var result = _ws.Load(text);

        result.Manifest.ShouldBeNull();
        var found = result.Diagnostics.Select(d => (d.Code, d.Location!.Line, d.Location.Column)).ToArray();
        found.ShouldBe(
            [
                (ManifestErrors.UnknownSpace, 3, 8),
                (ManifestErrors.OutOfRange, 22, 16),
                (ManifestErrors.UnknownKey, 28, 5),
                (ManifestErrors.UnknownChoice, 33, 19),
                (ManifestErrors.PathNotFound, 52, 23),
            ],
            ignoreOrder: true);
        result.Diagnostics.ShouldAllBe(d => d.Location!.File == _ws.ManifestPath);
        result.Diagnostics.Single(d => d.Code == ManifestErrors.UnknownKey).Message.ShouldContain("did you mean 'confidence'?");
        result.Diagnostics.Single(d => d.Code == ManifestErrors.UnknownSpace).Message.ShouldContain("ofa-mbv3-w1.0");
        result.Diagnostics.Single(d => d.Code == ManifestErrors.UnknownChoice).Message.ShouldContain("did you mean 'adaproxy'?");
        result.Diagnostics.Single(d => d.Code == ManifestErrors.OutOfRange).Message.ShouldContain("greater than 0");
        Should.Throw<LatencyGateException>(result.GetOrThrow).ExitCode.ShouldBe(ExitCode.InvalidInput);
    }

    /// <summary>
    /// A newcomer's first budget mistakes say what to change: "must be a number; got '25ms'" left them to
    /// guess that the unit goes, and "got '25'" for a quoted "25" showed no difference at all.
    /// </summary>
    [Theory]
    [InlineData("budget_ms: 25ms", "got '25ms': write the number alone, without 'ms' (the unit, milliseconds, is in the key's name)")]
    [InlineData("budget_ms: 1.5 s", "got '1.5 s': write the number alone, without 's' (the unit, milliseconds, is in the key's name)")]
    [InlineData("budget_ms: \"25\"", "got '25', which is quoted text: write 25 without quotes")]
    [InlineData("budget_ms: fast", "must be a number; got 'fast'")]
    public void A_budget_written_with_a_unit_or_quotes_says_what_to_change(string budget, string expected)
    {
        var result = _ws.Load(ManifestWorkspace.ValidManifest.Replace("    budget_ms: 25\n", $"    {budget}\n", StringComparison.Ordinal));

        var d = result.Diagnostics.ShouldHaveSingleItem();
        d.Code.ShouldBe(ManifestErrors.WrongType);
        d.Message.ShouldEndWith(expected);
    }

    [Theory]
    [InlineData("version: 1", "version: 2", ManifestErrors.UnsupportedVersion, 2)]
    [InlineData("version: 1", "version: one", ManifestErrors.WrongType, 2)]
    [InlineData("    budget_ms: 25\n", "    budget_ms: [25]\n", ManifestErrors.WrongType, 22)]
    [InlineData("    budget_ms: 25\n", "    budget_ms: \"25\"\n", ManifestErrors.WrongType, 22)]
    [InlineData("    budget_ms: 25\n", "    budget_ms: 0\n", ManifestErrors.OutOfRange, 22)]
    [InlineData("    budget_ms: 25\n", "    budget_ms: .nan\n", ManifestErrors.WrongType, 22)]
    [InlineData("    budget_ms: 25\n", "    budget_mss: 25\n", ManifestErrors.UnknownKey, 22)]
    [InlineData("  confidence: 0.9\n", "  confidence: 1\n", ManifestErrors.OutOfRange, 18)]
    [InlineData("  confidence: 0.9\n", "  confidence: 0\n", ManifestErrors.OutOfRange, 18)]
    [InlineData("  warn_margin: 10%", "  warn_margin: 150%", ManifestErrors.OutOfRange, 19)]
    [InlineData("  warn_margin: 10%", "  warn_margin: lots", ManifestErrors.WrongType, 19)]
    [InlineData("  - name: pixel4", "  - name: NOTE10", ManifestErrors.DuplicateDevice, 25)]
    [InlineData("  mode: per-device", "  mode: per-devices", ManifestErrors.UnknownChoice, 9)]
    [InlineData("resolutions: [160, 176, 192]", "resolutions: [160, 170, 192]", ManifestErrors.BadResolution, 10)]
    [InlineData("  population: 50", "  population: 1", ManifestErrors.OutOfRange, 11)]
    [InlineData("  thorough: true", "  thorough: maybe", ManifestErrors.WrongType, 14)]
    [InlineData("    lut: luts/note10", "    lut: luts/note11", ManifestErrors.PathNotFound, 24)]
    [InlineData("    lut: luts/note10", "    lut: model/arch.json", ManifestErrors.PathNotFound, 24)]
    [InlineData("    lut: luts/note10", "    lut: luts/note10\n      file: predictors/gpu.safetensors", ManifestErrors.PredictorSourceCount, 24)]
    [InlineData("device: note10", "device: note1O", ManifestErrors.BadProxyReference, 51)]
    [InlineData("device: note10", "device: tx2", ManifestErrors.BadProxyReference, 51)]
    [InlineData("      memory_gb: 8\n", "", ManifestErrors.MissingHardware, 39)]
    [InlineData("formats: [json, sarif]", "formats: [json, sarf]", ManifestErrors.UnknownChoice, 66)]
    [InlineData("model:\n  arch: model/arch.json\n", "", ManifestErrors.PathNotFound, 0)]
    [InlineData("  seed: 7", "  seed: -7", ManifestErrors.WrongType, 13)]
    [InlineData("space: ofa-mbv3-w1.0\n", "space: ofa-mbv3-w1.0\nspace: ofa-mbv3-w1.2\n", ManifestErrors.DuplicateKey, 4)]
    public void Each_kind_of_mistake_has_its_code_and_line(string find, string replace, string code, int line)
    {
        var text = ManifestWorkspace.ValidManifest.Replace(find, replace, StringComparison.Ordinal);
        text.ShouldNotBe(ManifestWorkspace.ValidManifest);
        if (line == 0)
        {
            // Dropping the model leaves search: still valid; make it a missing-file case instead.
            text = text.Replace("predictor: ofa/acc.pth", "predictor: ofa/missing.pth", StringComparison.Ordinal);
            line = 5;
        }

        var result = _ws.Load(text);

        result.Manifest.ShouldBeNull();
        result.Diagnostics.ShouldContain(d => d.Code == code && d.Location!.Line == line, string.Join("\n", result.Diagnostics));
        result.Diagnostics.Count.ShouldBe(1, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void A_device_repeated_through_an_alias_is_reported_at_the_alias()
    {
        // The alias's item is the anchored node itself: the duplicate was reported at the anchor's name, the first device.
        var text = ManifestWorkspace.ValidManifest
            .Replace("  - name: note10\n", "  - &n10\n    name: note10\n", StringComparison.Ordinal)
            .Replace("  - name: pixel4\n", "  - *n10\n  - name: pixel4\n", StringComparison.Ordinal);

        var result = _ws.Load(text);

        var duplicate = result.Diagnostics.ShouldHaveSingleItem();
        duplicate.Code.ShouldBe(ManifestErrors.DuplicateDevice);
        duplicate.Location!.Line.ShouldBe(26, "the line of '- *n10'");
        duplicate.Location.Column.ShouldBe(5);
        duplicate.Message.ShouldContain("this alias repeats the device at line 22");
    }

    [Fact]
    public void Proxy_cycle_is_reported_and_does_not_hang()
    {
        var text = ManifestWorkspace.ValidManifest.Replace(
            "      lut: luts/note10",
            "      proxy:\n        device: tx2\n        measurements: data/tx2.csv",
            StringComparison.Ordinal);

        var result = _ws.Load(text);

        result.Diagnostics.ShouldContain(d => d.Code == ManifestErrors.BadProxyReference && d.Message.Contains("cycle", StringComparison.Ordinal));
    }

    [Fact]
    public void Yaml_syntax_error_is_positioned_and_nothing_is_thrown()
    {
        var result = _ws.Load("version: 1\nspace: [ofa-mbv3-w1.0\ndevices:\n  - name: a\n");

        var d = result.Diagnostics.ShouldHaveSingleItem();
        d.Code.ShouldBe(ManifestErrors.YamlSyntax);
        d.Location!.Line.ShouldBeGreaterThan(1);
        d.Message.ShouldNotContain("(Line:");
    }

    /// <summary>
    /// A tab in the indentation (an editor's habit) is reported at the tab's line, with what to do:
    /// YamlDotNet put "found invalid tab as indentation" at 1,1, the start of the document.
    /// </summary>
    [Theory]
    [InlineData("version: 1\nspace: ofa-mbv3-w1.2\ndevices:\n\t- name: a\n", 4)]
    [InlineData("version: 1\nspace: ofa-mbv3-w1.2\ndevices:\n  - name: a\n\tbudget_ms: 3\n", 5)]
    public void A_tab_in_the_indentation_is_reported_at_its_line_with_the_fix(string text, int line)
    {
        var d = _ws.Load(text).Diagnostics.ShouldHaveSingleItem();

        d.Code.ShouldBe(ManifestErrors.YamlSyntax);
        d.Location!.Line.ShouldBe(line);
        d.Message.ShouldEndWith("(YAML indents with spaces: replace the tab with spaces)");
    }

    [Fact]
    public void Missing_required_keys_and_nothing_to_gate_are_all_reported()
    {
        var result = _ws.Load("# just a comment\nfoo: 1\n");

        result.Diagnostics.Select(d => d.Code).ShouldBe(
            [ManifestErrors.UnknownKey, ManifestErrors.MissingKey, ManifestErrors.MissingKey, ManifestErrors.NothingToGate, ManifestErrors.MissingKey],
            ignoreOrder: true);
        result.Diagnostics.Where(d => d.Code == ManifestErrors.MissingKey).Select(d => d.Message)
            .ShouldAllBe(m => m.Contains("'version'", StringComparison.Ordinal) || m.Contains("'space'", StringComparison.Ordinal) || m.Contains("'devices'", StringComparison.Ordinal));
    }

    [Fact]
    public void Empty_file_and_missing_file_give_coded_errors()
    {
        _ws.Load(string.Empty).Diagnostics.ShouldHaveSingleItem().Code.ShouldBe(ManifestErrors.MissingKey);
        ManifestLoader.Load(Path.Combine(_ws.Root, "nope.yaml")).Diagnostics.ShouldHaveSingleItem().Code.ShouldBe(ManifestErrors.ManifestUnreadable);
    }

    [Fact]
    public void Alias_bomb_is_stopped_with_a_diagnostic()
    {
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + string.Join("\n", Enumerable.Range(0, 8).Select(i =>
            $"{(char)('b' + i)}: &{(char)('b' + i)} [*{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}]"));

        var result = _ws.Load(bomb);

        result.Manifest.ShouldBeNull();
        result.Diagnostics.ShouldNotBeEmpty();
    }

    [Fact]
    public void Checks_run_after_validation_and_add_to_the_same_diagnostics()
    {
        var check = new RecordingCheck();

        var result = ManifestLoader.LoadText(ManifestWorkspace.ValidManifest, _ws.ManifestPath, [check, new ThrowingCheck()]);

        check.Seen.ShouldNotBeNull();
        result.Manifest.ShouldBeNull();
        result.Diagnostics.Select(d => d.Code).ShouldBe([ManifestErrors.SpaceMismatch, ManifestErrors.BadMeasurements]);
        result.Diagnostics[0].Location!.Line.ShouldBe(31);
    }

    [Fact]
    public void Checks_do_not_run_on_an_invalid_manifest()
    {
        var check = new RecordingCheck();

        ManifestLoader.LoadText("version: 3\n", _ws.ManifestPath, [check]);

        check.Seen.ShouldBeNull();
    }

    [Theory]
    [InlineData("budget", "budget_ms", 3)]
    [InlineData("budegt_ms", "budget_ms", 1)]
    [InlineData("kitten", "sitting", 3)]
    public void Edit_distance_counts_transpositions_as_one(string a, string b, int expected) =>
        DidYouMean.Distance(a, b).ShouldBe(expected);

    private sealed class RecordingCheck : IManifestCheck
    {
        public LatencyGateManifest? Seen { get; private set; }

        public void Check(LatencyGateManifest manifest, DiagnosticBag diagnostics)
        {
            Seen = manifest;
            var ft = (FinetuneSource)manifest.FindDevice("pixel4")!.Predictor;
            diagnostics.Error(ManifestErrors.SpaceMismatch, "base predictor made for ofa-mbv3-w1.2", ft.Base.Location);
        }
    }

    private sealed class ThrowingCheck : IManifestCheck
    {
        public void Check(LatencyGateManifest manifest, DiagnosticBag diagnostics) =>
            throw new LatencyGateException(ManifestErrors.BadMeasurements, "row 3: latency is not a number");
    }
}

public sealed class ShippedArchCheckTests : IDisposable
{
    private readonly ManifestWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void A_bad_shipped_arch_is_reported_at_the_manifest_line_naming_it()
    {
        File.WriteAllText(Path.Combine(_ws.Root, "model", "arch.json"), """{"ks": [3, 5], "e": [4], "d": [3, 3, 3, 3, 3], "r": [192]}""");

        var result = ManifestLoader.LoadText(ManifestWorkspace.ValidManifest, _ws.ManifestPath, ManifestChecks.Standard);

        result.Manifest.ShouldBeNull();
        result.Diagnostics.ShouldNotBeEmpty();
        result.Diagnostics.ShouldAllBe(d => d.Location!.Line == 7 && d.Code.StartsWith("LG000", StringComparison.Ordinal) && d.Message.StartsWith("model arch 'model/arch.json'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_good_shipped_arch_passes()
    {
        File.WriteAllText(Path.Combine(_ws.Root, "model", "arch.json"), StarterManifest.Files(OfaSpace.W10)[1].Value);

        ManifestLoader.LoadText(ManifestWorkspace.ValidManifest, _ws.ManifestPath, ManifestChecks.Standard).Diagnostics.ShouldBeEmpty();
    }
}
