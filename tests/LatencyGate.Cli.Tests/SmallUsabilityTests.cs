using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>Issue 12 item 17's smaller findings, each through the CLI.</summary>
public sealed class SmallUsabilityTests
{
    [Fact]
    public void A_missing_manifest_points_at_the_same_name_with_the_other_yaml_extension()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("latency-gate.yml"), "version: 1\n");

        var result = CliRunner.Run("check", "--manifest", folder.File("latency-gate.yaml"));
        var without = CliRunner.Run("check", "--manifest", folder.File("other.yaml"));

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("error LG0413: manifest not found: ");
        result.Stderr.ShouldContain($"but there is '{folder.File("latency-gate.yml")}': name that file (check --manifest {folder.File("latency-gate.yml")}) or rename it to latency-gate.yaml");
        without.Stderr.ShouldContain("(create one with 'dotnet latency-gate init')");
    }

    [Fact]
    public void GitHub_annotations_name_files_relative_to_the_workspace()
    {
        using var fleet = new TempFolder("examples/fleet");
        var env = new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["CI"] = "true", ["GITHUB_WORKSPACE"] = Path.GetDirectoryName(fleet.Path)! };

        var (code, stdout, _) = CliRunner.RunWithEnvironment(env, "check", "--manifest", fleet.File("latency-gate.over-budget.yaml"));

        code.ShouldBe(1);
        stdout.ShouldContain($"::error file={Path.GetFileName(fleet.Path)}/latency-gate.over-budget.yaml,line=25,");
        stdout.ShouldNotContain($"file={fleet.Path}");
    }

    [Fact]
    public void Windows_style_relative_paths_in_a_manifest_mean_the_same_files()
    {
        using var fleet = new TempFolder("examples/fleet");
        Directory.CreateDirectory(fleet.File("ci"));
        var text = File.ReadAllText(fleet.File("latency-gate.yaml"));
        foreach (var folder in new[] { "luts", "data", "model", "predictors" })
        {
            text = text.Replace($" {folder}/", $" ..\\{folder}\\", StringComparison.Ordinal);
        }

        text.ShouldContain("..\\luts\\phone-big");
        File.WriteAllText(fleet.File("ci/latency-gate.yaml"), text);

        var (code, stdout, stderr) = CliRunner.Run("check", "--manifest", fleet.File("ci/latency-gate.yaml"), "--report-dir", fleet.File("r"));

        code.ShouldBe(0, stderr);
        stdout.ShouldContain("5 pass");
    }

    [Fact]
    public void Init_elsewhere_advises_check_with_that_manifest_and_its_placeholder_table_error_has_the_manifest_line()
    {
        using var folder = new TempFolder();
        var manifest = folder.File("x/y.yaml");

        var init = CliRunner.Run("init", "--path", manifest);
        var check = CliRunner.Run("check", "--manifest", manifest);

        init.ExitCode.ShouldBe(0, init.Stderr);
        init.Stdout.ShouldContain($"then run 'dotnet latency-gate check --manifest {Path.GetRelativePath(Environment.CurrentDirectory, manifest)}'");
        check.ExitCode.ShouldBe(2);
        check.Stderr.ShouldMatch(@"y\.yaml\(\d+,\d+\): error LG0021: lookup tables 'latency-gate/lut': ");
    }

    [Fact]
    public void A_starter_on_the_built_in_tables_says_what_they_are_instead_of_offering_them_again()
    {
        using var folder = new TempFolder();
        CliRunner.Run("init", "--path", folder.File("latency-gate.yaml"), "--lut", "builtin:note10").ExitCode.ShouldBe(0);

        var text = File.ReadAllText(folder.File("latency-gate.yaml"));

        text.ShouldContain("lut: builtin:note10             # OFA's Note10 tables, built in (ofa-mbv3-w1.2; 'dotnet latency-gate profiles')");
        text.ShouldNotContain("# or builtin:note10");
    }

    /// <summary>A usage mistake points at that command's help, where the missing option is listed.</summary>
    [Fact]
    public void A_usage_error_in_a_command_points_at_that_commands_help()
    {
        var (code, _, stderr) = CliRunner.Run("evaluate", "--data", "x.csv");

        code.ShouldBe(2);
        stderr.ShouldContain("error LG0900: Option '--predictor' is required.");
        stderr.ShouldContain("Run 'dotnet latency-gate evaluate --help' for usage.");
        CliRunner.Run("--bogus").Stderr.ShouldContain("Run 'dotnet latency-gate --help' for usage.");
    }

    /// <summary>
    /// A newcomer's first command-line slips say what to do: no command at all named none to start with
    /// ("Required command was not provided."), a misspelt option had no did-you-mean and its value was
    /// reported again as an unknown argument, and a missing required option did not say what it takes.
    /// </summary>
    [Fact]
    public void First_command_line_slips_say_what_to_do()
    {
        var none = CliRunner.Run();
        none.ExitCode.ShouldBe(2);
        none.Stderr.ShouldContain("error LG0900: no command given: 'dotnet latency-gate check' runs the gate on latency-gate.yaml, 'dotnet latency-gate init' writes a starter manifest");
        none.Stderr.ShouldContain("Run 'dotnet latency-gate --help' for the commands.");

        var misspelt = CliRunner.Run("check", "--formt", "html");
        misspelt.ExitCode.ShouldBe(2);
        misspelt.Stderr.ShouldContain("error LG0900: Unrecognized command or argument '--formt'. Did you mean '--format'?");
        misspelt.Stderr.ShouldNotContain("'html'");
        CliRunner.Run("check", "--format", "htm").Stderr.ShouldContain("error LG0521: --format 'htm' is not a report format (did you mean 'html'?); expected one of json,");

        // A value of the wrong kind names the kind, not the .NET type ("as expected type 'System.Int32'").
        CliRunner.Run("measure", "--space", "ofa-mbv3-w1.2", "--archs", "a.jsonl", "--out", "m.csv", "--runs", "ten").Stderr
            .ShouldContain("error LG0900: --runs takes a whole number; got 'ten'");
        CliRunner.Run("monotonicity", "--data", "a.csv", "--columns", "a,b", "--threshold", "high").Stderr
            .ShouldContain("error LG0900: --threshold takes a number (such as 0.5); got 'high'");

        var required = CliRunner.Run("fit", "--data", "x.csv", "--out", "y.safetensors");
        required.ExitCode.ShouldBe(2);
        required.Stderr.ShouldContain("error LG0900: Option '--space' is required. --space: Search space: ofa-mbv3-w1.0 or ofa-mbv3-w1.2");
    }

    /// <summary>`search` on a manifest without a search section says the smallest section that works.</summary>
    [Fact]
    public void Search_without_a_search_section_names_the_smallest_one()
    {
        using var fleet = new TempFolder("examples/fleet");

        var result = CliRunner.Run("search", "--manifest", fleet.File("latency-gate.yaml"), "--out", fleet.File("out"));

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("error LG0507: the manifest has no 'search' section; add one to run the search: 'search: {}' searches with OFA's defaults");
        File.AppendAllText(fleet.File("latency-gate.yaml"), "search: {generations: 5}\n");
        CliRunner.Run("search", "--manifest", fleet.File("latency-gate.yaml"), "--out", fleet.File("out")).ExitCode.ShouldBe(0);
    }

    /// <summary>
    /// predict and explain take the space from the tables or the predictor file, as evaluate does: the
    /// README's `predict --lut builtin:note10` ended with "Option '--space' is required".
    /// </summary>
    [Fact]
    public void Predict_and_explain_take_the_space_from_the_tables_and_say_when_they_cannot()
    {
        const string Pick = "r192-d23343-k33|533|573|7533|355-e43|443|443|4444|666";
        var predict = CliRunner.Run("predict", "--lut", "builtin:note10", "--arch-json", Pick);
        predict.ExitCode.ShouldBe(0, predict.Stderr);
        predict.Stdout.ShouldStartWith("24.9236 ms  " + Pick);
        var explain = CliRunner.Run("explain", "--lut", "builtin:note10", "--arch-json", Pick);
        explain.ExitCode.ShouldBe(0, explain.Stderr);
        explain.Stdout.ShouldStartWith("space ofa-mbv3-w1.2, arch " + Pick);

        CliRunner.Run("explain", "--arch-json", Pick).ExpectSingleError("LG0930").ShouldStartWith("--space: error LG0930: the space is needed");
    }

    /// <summary>
    /// predict --predictor takes what its loader reads (a table folder, builtin:note10, builtin:macs), as
    /// evaluate --predictor does: it predicted, then ended with "LG0100: Weights file not found." reading
    /// the path as a weights file for its measured_on metadata.
    /// </summary>
    [Theory]
    [InlineData("builtin:note10", "24.9236 ms")]
    [InlineData("examples/fleet/luts/phone-big", "")]
    [InlineData("builtin:macs", "")]
    public void Predict_with_a_predictor_that_is_no_weights_file_predicts(string predictor, string expected)
    {
        const string Pick = "r192-d23343-k33|533|573|7533|355-e43|443|443|4444|666";
        var path = predictor.StartsWith("builtin:", StringComparison.Ordinal) ? predictor : Path.Combine(ReferenceData.RepositoryRoot, predictor);

        var result = CliRunner.Run("predict", "--space", "ofa-mbv3-w1.2", "--predictor", path, "--arch-json", Pick);

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stderr.ShouldNotContain("LG0100");
        result.Stdout.ShouldStartWith(expected);
        result.Stdout.ShouldContain(Pick);
    }

    /// <summary>A missing weights file says what was expected there ("Weights file not found." said nothing more).</summary>
    [Fact]
    public void A_missing_accuracy_predictor_says_what_file_was_expected()
    {
        CliRunner.Run("accuracy", "--space", "ofa-mbv3-w1.2", "--predictor", "nope.pth", "--arch-json", "r192-d23343-k33|533|573|7533|355-e43|443|443|4444|666")
            .ExpectSingleError("LG0100").ShouldBe("nope.pth: error LG0100: weights file not found: expected a safetensors file or a PyTorch checkpoint (.pth) at this path");
    }

    /// <summary>A mistyped built-in table name is located at --lut, as --predictor's is at --predictor.</summary>
    [Theory]
    [InlineData("predict")]
    [InlineData("explain")]
    public void A_mistyped_built_in_table_is_reported_at_lut(string command)
    {
        var line = CliRunner.Run(command, "--space", "ofa-mbv3-w1.2", "--lut", "builtin:note1", "--arch-json", "r192-d23232-k35|553|53|553|53-e34|443|43|443|44")
            .ExpectSingleError("LG0420");

        line.ShouldStartWith("--lut: error LG0420: unknown built-in profile 'builtin:note1' (did you mean 'builtin:note10'?)");
    }
}
