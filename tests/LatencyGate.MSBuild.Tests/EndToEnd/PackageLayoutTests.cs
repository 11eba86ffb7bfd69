using System.IO.Compression;
using System.Xml.Linq;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.EndToEnd;

[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class PackageLayoutTests(PackageFixture fixture)
{
    [Fact]
    public void The_package_holds_props_targets_and_the_task_with_its_dependencies_and_nothing_in_lib()
    {
        using var zip = ZipFile.OpenRead(fixture.Package);
        var entries = zip.Entries.Select(e => e.FullName).ToList();

        entries.ShouldContain("build/LatencyGate.MSBuild.props");
        entries.ShouldContain("build/LatencyGate.MSBuild.targets");
        entries.ShouldContain("buildMultiTargeting/LatencyGate.MSBuild.targets");
        foreach (var dll in new[] { "LatencyGate.MSBuild.dll", "LatencyGate.MSBuild.deps.json", "LatencyGate.Core.dll", "YamlDotNet.dll", "MathNet.Numerics.dll", "System.Numerics.Tensors.dll" })
        {
            entries.ShouldContain("tasks/net10.0/" + dll);
        }

        entries.ShouldNotContain(e => e.StartsWith("lib/", StringComparison.Ordinal) || e.StartsWith("ref/", StringComparison.Ordinal));
        // CSV is read and written by Core's own Files.Csv: no CSV library ships with the task.
        entries.ShouldNotContain(e => e.Contains("CsvHelper", StringComparison.Ordinal));
        // MSBuild provides its own assemblies; a private copy would clash with the host's.
        entries.ShouldNotContain(e => e.Contains("Microsoft.Build", StringComparison.Ordinal));
    }

    [Fact]
    public void The_nuspec_is_a_development_dependency_without_dependencies()
    {
        using var zip = ZipFile.OpenRead(fixture.Package);
        using var stream = zip.GetEntry("LatencyGate.MSBuild.nuspec")!.Open();
        var nuspec = XDocument.Load(stream);
        var ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;

        metadata.Element(ns + "id")!.Value.ShouldBe("LatencyGate.MSBuild");
        metadata.Element(ns + "developmentDependency")!.Value.ShouldBe("true");
        metadata.Element(ns + "dependencies")?.Descendants(ns + "dependency").ShouldBeEmpty();
    }
}
