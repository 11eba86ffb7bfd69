using Shouldly;
using Xunit;
using GateTask = LatencyGate.MSBuild.LatencyGate;

namespace LatencyGate.Tests;

/// <summary>
/// The real task (no seam) under property values a build can hand it by mistake: each ends in coded
/// errors or a pass, never LG0699 (an internal error) or an exception out of <c>Execute</c>.
/// </summary>
public sealed class TaskHostilePropertyTests : IDisposable
{
    private readonly TempDirectory _dir = new("lg-task-hostile");
    private readonly FakeBuildEngine _engine;
    private readonly string _manifest;

    public TaskHostilePropertyTests()
    {
        _engine = new FakeBuildEngine(_dir.Combine("App.csproj"));
        _dir.Write("luts/phone/placeholder.txt", string.Empty);
        _manifest = _dir.Write("latency-gate.yaml", "version: 1\nspace: ofa-mbv3-w1.2\naccuracy: macs\nsearch: {generations: 2, population: 8}\ndevices:\n  - name: phone\n    budget_ms: 20\n    predictor: {lut: builtin:note10}\n");
        _dir.Write("a-file", "x");
    }

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string> Cases() => new()
    {
        { "Manifest", "." },
        { "Manifest", "a-file" },
        { "Manifest", "/dev/zero" },
        { "Manifest", "/proc/self" },
        { "Manifest", "/dev/null" },
        { "ReportDirectory", "a-file" },
        { "ReportDirectory", "/proc/nope" },
        { "ReportDirectory", "a-file/below" },
        { "CacheDirectory", "a-file" },
        { "CacheDirectory", "/proc/self" },
        { "Device", "no-such-device" },
        { "Device", "PHONE" },
        { "Device", "../phone" },
        { "MaxDegreeOfParallelism", "99999999999" },
        { "MaxDegreeOfParallelism", "-1" },
        { "MeasureTimeout", "1e9" },
        { "MeasureCommand", "\"" },
        { "StampFile", "/proc/self/stamp" },
        { "StampFile", "." },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_bad_property_is_a_coded_error_never_an_internal_one(string property, string value)
    {
        var path = value.StartsWith('/') || value == "." ? (value == "." ? _dir.Path : value) : _dir.Combine(value);
        var task = new GateTask { BuildEngine = _engine, Manifest = _manifest, ReportDirectory = _dir.Combine("reports"), CacheDirectory = _dir.Combine("cache") };
        switch (property)
        {
            case "Manifest": task.Manifest = path; break;
            case "ReportDirectory": task.ReportDirectory = path; break;
            case "CacheDirectory": task.CacheDirectory = path; break;
            case "StampFile": task.StampFile = path; break;
            case "Device": task.Device = value; break;
            case "MaxDegreeOfParallelism": task.MaxDegreeOfParallelism = value; break;
            case "MeasureTimeout": task.MeasureTimeout = value; break;
            case "MeasureCommand": task.MeasureCommand = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(property));
        }

        var passed = Should.NotThrow(() => task.Execute());

        var all = string.Join("\n", _engine.Errors.Select(e => $"{e.Code} {e.File}({e.LineNumber}): {e.Message}").Concat(_engine.Warnings.Select(w => $"warning {w.Code}: {w.Message}")));
        _engine.Errors.ShouldNotContain(e => e.Code == "LG0699", all);
        _engine.Errors.ShouldAllBe(e => e.Code != null && e.Code.StartsWith("LG", StringComparison.Ordinal), all);
        if (!passed)
        {
            _engine.Errors.ShouldNotBeEmpty(all);
        }

    }

    [Fact]
    public void A_manifest_property_naming_the_folder_says_so_and_names_the_file_in_it()
    {
        var task = new GateTask { BuildEngine = _engine, Manifest = _dir.Path };

        task.Execute().ShouldBeFalse();

        var error = _engine.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe("LG0600");
        error.Message!.ShouldContain("is a folder; name the manifest in it (" + _manifest + ")");
    }
}
