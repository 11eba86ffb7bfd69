using System.Text.Json;
using LatencyGate.Manifest;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Manifest;

public sealed class StarterManifestTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lg-starter-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("ofa-mbv3-w1.0")]
    [InlineData("ofa-mbv3-w1.2")]
    public void Starter_loads_cleanly_and_its_arch_is_valid(string spaceName)
    {
        var space = OfaSpace.Get(spaceName);
        WriteAll(StarterManifest.Files(space));

        var result = ManifestLoader.Load(Path.Combine(_dir, LatencyGateManifest.DefaultFileName));

        result.Diagnostics.ShouldBeEmpty();
        var manifest = result.Manifest.ShouldNotBeNull();
        manifest.Space.Value.ShouldBe(space);
        manifest.Devices.ShouldHaveSingleItem().Predictor.ShouldBeOfType<LutSource>();

        using var arch = JsonDocument.Parse(File.ReadAllText(manifest.ShippedArch!.FullPath));
        int[] Ints(string name) => arch.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Should.NotThrow(() => Arch.Create(Ints("ks"), Ints("e"), Ints("d"), Ints("r")[0], space));
    }

    [Fact]
    public void Starter_with_a_lut_folder_points_at_it_and_writes_no_placeholder()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "tables"));
        var files = StarterManifest.Files(OfaSpace.W10, lutPath: "tables");
        files.ShouldNotContain(f => f.Key.Contains("lut/", StringComparison.Ordinal));
        WriteAll(files);

        var result = ManifestLoader.Load(Path.Combine(_dir, LatencyGateManifest.DefaultFileName));

        result.Diagnostics.ShouldBeEmpty();
        result.Manifest!.Devices[0].Predictor.ShouldBeOfType<LutSource>().Directory.FullPath.ShouldBe(Path.Combine(_dir, "tables"));
    }

    [Fact]
    public void Commented_out_alternatives_in_the_starter_are_valid_keys()
    {
        // Uncommenting the documented alternatives must not produce unknown keys: check the key names the comments use.
        var text = StarterManifest.Files(OfaSpace.W10)[0].Value;
        var commented = text.Split('\n')
            .Select(l => l.TrimStart())
            .Where(l => l.StartsWith("# ", StringComparison.Ordinal) && l.Contains(':', StringComparison.Ordinal))
            .Select(l => l[2..].TrimStart().TrimStart('-', ' '))
            .Where(l => char.IsAsciiLetterLower(l.FirstOrDefault()))
            .Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)])
            .Where(k => k.All(c => char.IsAsciiLetterLower(c) || c is '_' or '0' or '1' or '2' or '3' or '4' or '5' or '6' or '7' or '8' or '9'))
            .ToArray();
        commented.ShouldNotBeEmpty();
        var all = ManifestKeys.Root.Concat(ManifestKeys.Search).Concat(ManifestKeys.Defaults).Concat(ManifestKeys.Device)
            .Concat(ManifestKeys.Predictor).Concat(ManifestKeys.Accuracy).ToHashSet();
        commented.ShouldAllBe(k => all.Contains(k));
    }

    [Fact]
    public void Embedded_schema_is_the_repository_schema()
    {
        var onDisk = File.ReadAllText(Path.Combine(ReferenceData.RepositoryRoot, "schema", "latency-gate.schema.json"));
        StarterManifest.SchemaText().ShouldBe(onDisk);
    }

    private void WriteAll(IEnumerable<KeyValuePair<string, string>> files)
    {
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(_dir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
    }
}
