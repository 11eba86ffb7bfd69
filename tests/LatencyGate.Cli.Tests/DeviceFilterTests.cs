using System.Text.Json;
using System.Xml.Linq;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests;

/// <summary><c>check --device NAME</c>: the other devices are listed as skipped in every report, as docs/reports.md says, not left out.</summary>
public sealed class DeviceFilterTests
{
    [Fact]
    public void The_devices_not_selected_are_skipped_in_the_console_json_junit_and_markdown()
    {
        using var fleet = new TempFolder("examples/fleet");
        var (code, stdout, stderr) = CliRunner.Run("check", "--manifest", fleet.File("latency-gate.yaml"), "--device", "phone-mid", "--report-dir", fleet.File("r"));

        code.ShouldBe(0, stderr);
        stdout.ShouldContain("1 pass, 0 warn, 0 fail, 0 error, 4 skipped");
        var devices = JsonDocument.Parse(File.ReadAllText(fleet.File("r/latency-gate.json"))).RootElement.GetProperty("devices").EnumerateArray().ToArray();
        devices.Select(d => d.GetProperty("name").GetString()).ShouldBe(["phone-big", "phone-mid", "edge-npu", "edge-gpu", "server-gpu"]);
        devices.Select(d => d.GetProperty("verdict").GetString()).ShouldBe(["skipped", "pass", "skipped", "skipped", "skipped"]);
        devices[0].GetProperty("notes")[0].GetString().ShouldBe("not checked: only 'phone-mid' was selected");
        var junit = XDocument.Load(fleet.File("r/latency-gate.junit.xml"));
        junit.Descendants("testsuite").Single().Attribute("skipped")!.Value.ShouldBe("4");
        junit.Descendants("skipped").Count().ShouldBe(4);
        File.ReadAllText(fleet.File("r/latency-gate.md")).ShouldContain("5 devices: 1 pass, 4 skipped");
    }
}
