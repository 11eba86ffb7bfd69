using LatencyGate.Cli;
using LatencyGate.Manifest;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

public sealed class InitCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lg-init-" + Guid.NewGuid().ToString("N"));

    public InitCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string ManifestPath => Path.Combine(_dir, "latency-gate.yaml");

    [Fact]
    public void Init_writes_a_starter_that_loads_cleanly()
    {
        var (code, stdout, stderr) = Run("init", "--path", ManifestPath, "--space", "ofa-mbv3-w1.2");

        code.ShouldBe(0, stderr);
        stdout.ShouldContain("latency-gate.yaml");
        File.Exists(Path.Combine(_dir, "latency-gate", "latency-gate.schema.json")).ShouldBeTrue();
        var result = ManifestLoader.Load(ManifestPath);
        result.Diagnostics.ShouldBeEmpty();
        result.Manifest!.Space.Value.Name.ShouldBe("ofa-mbv3-w1.2");
    }

    /// <summary>
    /// A newcomer's first two commands: init without --lut, then check. The starter's table folder is a
    /// placeholder, so check fails; both say what to do instead of leaving the placeholder to guess.
    /// </summary>
    [Fact]
    public void Init_without_lut_says_the_table_folder_is_a_placeholder_and_check_names_builtin_note10()
    {
        var (code, stdout, stderr) = Run("init", "--path", ManifestPath);
        code.ShouldBe(0, stderr);
        stdout.ShouldContain("placeholder folder");
        stdout.ShouldContain("'dotnet latency-gate init --lut builtin:note10 --force'");

        var check = Run("check", "--manifest", ManifestPath);

        check.Code.ShouldBe(2, check.Stderr);
        var error = check.Stderr.Split('\n').Single(l => l.Contains("error LG0021", StringComparison.Ordinal));
        error.ShouldStartWith(ManifestPath + "(");
        error.ShouldContain("builtin:note10");
    }

    [Fact]
    public void Init_refuses_to_overwrite_without_force()
    {
        File.WriteAllText(ManifestPath, "mine");

        var (code, _, stderr) = Run("init", "--path", ManifestPath);

        code.ShouldBe(2);
        stderr.ShouldContain("error LG0419");
        File.ReadAllText(ManifestPath).ShouldBe("mine");

        Run("init", "--path", ManifestPath, "--force").Code.ShouldBe(0);
        File.ReadAllText(ManifestPath).ShouldStartWith("# yaml-language-server: $schema=latency-gate/latency-gate.schema.json");
    }

    /// <summary>
    /// <c>init --lut builtin:note10 --force</c> over a starter made without --lut: the placeholder table
    /// folder the first init made is removed, so the folder holds one starter that checks green.
    /// </summary>
    [Fact]
    public void Init_force_with_other_tables_removes_the_placeholder_folder_the_earlier_init_made()
    {
        Run("init", "--path", ManifestPath).Code.ShouldBe(0);
        var placeholder = Path.Combine(_dir, "latency-gate", "lut");
        Directory.Exists(placeholder).ShouldBeTrue();

        var (code, stdout, stderr) = Run("init", "--path", ManifestPath, "--lut", "builtin:note10", "--force");

        code.ShouldBe(0, stderr);
        Directory.Exists(placeholder).ShouldBeFalse(stdout);
        stdout.ShouldContain("removed ");
        Directory.GetFileSystemEntries(Path.Combine(_dir, "latency-gate")).Select(Path.GetFileName).ShouldBe(["arch.json", "latency-gate.schema.json"], ignoreOrder: true);
        Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).ShouldBe(["latency-gate", "latency-gate.yaml"], ignoreOrder: true);
        var check = Run("check", "--manifest", ManifestPath, "--report-dir", Path.Combine(_dir, "out"), "--cache-dir", Path.Combine(_dir, "cache"));
        check.Code.ShouldBe(0, check.Stderr);
    }

    /// <summary>
    /// --force removes only what init wrote, unchanged: tables a user put in the placeholder folder and a
    /// schema copy they edited are kept, and init says so.
    /// </summary>
    [Fact]
    public void Init_force_keeps_files_a_user_added_or_edited_in_an_earlier_starter()
    {
        Run("init", "--path", ManifestPath).Code.ShouldBe(0);
        var table = Path.Combine(_dir, "latency-gate", "lut", "192_lookup_table.yaml");
        File.WriteAllText(table, "my table");
        var schema = Path.Combine(_dir, "latency-gate", "latency-gate.schema.json");
        File.AppendAllText(schema, "\n");

        var (code, stdout, stderr) = Run("init", "--path", ManifestPath, "--lut", "builtin:note10", "--schema", "https://example.com/latency-gate.schema.json", "--force");

        code.ShouldBe(0, stderr);
        File.ReadAllText(table).ShouldBe("my table");
        File.Exists(Path.Combine(_dir, "latency-gate", "lut", "README.md")).ShouldBeTrue();
        File.Exists(schema).ShouldBeTrue();
        stdout.ShouldContain("kept ");
        stdout.ShouldNotContain("removed ");
    }

    [Fact]
    public void Init_with_an_unknown_space_is_a_coded_error()
    {
        var (code, _, stderr) = Run("init", "--path", ManifestPath, "--space", "mbv3");

        code.ShouldBe(2);
        stderr.ShouldContain("LG0005");
        File.Exists(ManifestPath).ShouldBeFalse();
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
