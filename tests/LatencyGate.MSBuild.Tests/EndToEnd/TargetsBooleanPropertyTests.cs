using System.Diagnostics;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.EndToEnd;

/// <summary>
/// The package's targets (from the source tree, with this build's task assembly; no pack needed)
/// under boolean properties that are not booleans: each is LG0603 at the project, never MSBuild's own
/// MSB4030/MSB4021, and never a gate turned off without a word.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class TargetsBooleanPropertyTests : IDisposable
{
    private readonly TempDirectory _dir = new("lg-targets-bool");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("LatencyGateEnabled=1")] // was silent: no gate, no message
    [InlineData("LatencyGateWarningsAsErrors=maybe")] // was MSB4030
    [InlineData("LatencyGateContinueOnError=maybe")] // was MSB4021
    public void A_boolean_property_that_is_no_boolean_is_LG0603(string property)
    {
        var (exitCode, output) = Build(property);

        exitCode.ShouldNotBe(0, output);
        output.ShouldContain("error LG0603: " + property.Split('=')[0] + " must be true or false, not '" + property.Split('=')[1] + "'");
        output.ShouldNotContain("error MSB");
    }

    [Theory]
    [InlineData("LatencyGateEnabled=false")]
    [InlineData("LatencyGateWarningsAsErrors=TRUE")]
    public void A_boolean_property_that_is_a_boolean_builds(string property)
    {
        var (exitCode, output) = Build(property);

        exitCode.ShouldBe(0, output);
        output.ShouldNotContain("LG0603");
    }

    private (int ExitCode, string Output) Build(string property)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "LatencyGate.sln")))
        {
            root = root.Parent;
        }

        var build = Path.Combine(root!.FullName, "src", "LatencyGate.MSBuild", "build");
        var task = typeof(MSBuild.LatencyGate).Assembly.Location;
        _dir.Write("latency-gate.yaml", "version: 1\nspace: ofa-mbv3-w1.2\naccuracy: macs\nsearch: {generations: 2, population: 8}\noutputs: {formats: [json]}\ndevices:\n  - name: phone\n    budget_ms: 20\n    predictor: {lut: builtin:note10}\n");
        var project = _dir.Write("App.proj", $"""
            <Project>
              <Import Project="{build}/LatencyGate.MSBuild.props" />
              <PropertyGroup><_LatencyGateTaskAssembly>{task}</_LatencyGateTaskAssembly><Configuration>Release</Configuration><BaseIntermediateOutputPath>obj/</BaseIntermediateOutputPath></PropertyGroup>
              <Target Name="Build" />
              <Import Project="{build}/LatencyGate.MSBuild.targets" />
            </Project>
            """);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir.Path };
        foreach (var a in new[] { "msbuild", project, "-nologo", "-nodeReuse:false", "-v:m", "-p:" + property })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit(120_000).ShouldBeTrue("dotnet msbuild did not finish within 120 s");
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
