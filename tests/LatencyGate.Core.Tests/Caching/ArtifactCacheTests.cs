using System.Text;
using LatencyGate.Caching;
using LatencyGate.Diagnostics;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Caching;

public sealed class ArtifactCacheTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lg-cache-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Second_lookup_is_a_hit_with_the_same_value()
    {
        var cache = new ArtifactCache(_dir);
        var builds = 0;
        var key = new CacheKey().Add("space", "ofa-mbv3-w1.2").Add("options", "seed=1").Finish();
        string Get(out bool hit) => cache.GetOrBuild(key, () => { builds++; return ("value", Encoding.UTF8.GetBytes("value")); }, b => Encoding.UTF8.GetString(b), new DiagnosticBag(), out hit);

        Get(out var first).ShouldBe("value");
        Get(out var second).ShouldBe("value");
        first.ShouldBeFalse();
        second.ShouldBeTrue();
        builds.ShouldBe(1);
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("garbage")]
    public void Corrupt_entry_gives_a_warning_and_a_correct_result(string damage)
    {
        var cache = new ArtifactCache(_dir);
        var key = new CacheKey().Add("k", damage).Finish();
        cache.GetOrBuild(key, () => (42, BitConverter.GetBytes(42)), b => BitConverter.ToInt32(b), new DiagnosticBag(), out _);
        var path = cache.PathFor(key);
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "flip":
                bytes[^1] ^= 0x40;
                File.WriteAllBytes(path, bytes);
                break;
            case "truncate":
                File.WriteAllBytes(path, bytes[..^2]);
                break;
            default:
                File.WriteAllText(path, "not a cache entry");
                break;
        }

        var diagnostics = new DiagnosticBag();
        var value = cache.GetOrBuild(key, () => (42, BitConverter.GetBytes(42)), b => BitConverter.ToInt32(b), diagnostics, out var hit);

        value.ShouldBe(42);
        hit.ShouldBeFalse();
        var warning = diagnostics.Items.ShouldHaveSingleItem();
        warning.Code.ShouldBe("LG0560");
        warning.Severity.ShouldBe(DiagnosticSeverity.Warning);
        cache.GetOrBuild(key, () => (-1, BitConverter.GetBytes(-1)), b => BitConverter.ToInt32(b), new DiagnosticBag(), out var rebuiltHit).ShouldBe(42);
        rebuiltHit.ShouldBeTrue();
    }

    [Fact]
    public void A_payload_the_decoder_rejects_is_treated_as_corrupt()
    {
        var cache = new ArtifactCache(_dir);
        var key = new CacheKey().Add("k", "decoder").Finish();
        cache.GetOrBuild(key, () => ("x", "bad"u8.ToArray()), b => "x", new DiagnosticBag(), out _);
        var diagnostics = new DiagnosticBag();
        cache.GetOrBuild(
            key,
            () => ("good", "good"u8.ToArray()),
            b => Encoding.UTF8.GetString(b) == "good" ? "good" : throw new LatencyGateException("LG0100", "not a predictor file"),
            diagnostics,
            out _).ShouldBe("good");
        diagnostics.Items.ShouldHaveSingleItem().Message.ShouldContain("not a predictor file");
    }

    [Fact]
    public void Concurrent_writers_of_one_key_leave_a_valid_entry()
    {
        var key = new CacheKey().Add("k", "race").Finish();
        var payload = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
        {
            var cache = new ArtifactCache(_dir);
            var diagnostics = new DiagnosticBag();
            cache.GetOrBuild(key, () => (payload.Length, payload), b => b.Length == payload.Length ? b.Length : throw new LatencyGateException("LG0560", "size"), diagnostics, out _)
                .ShouldBe(payload.Length);
            diagnostics.Items.ShouldBeEmpty();
        });

        Directory.GetFiles(_dir, "*.tmp").ShouldBeEmpty();
        var check = new DiagnosticBag();
        new ArtifactCache(_dir).GetOrBuild(key, () => (0, new byte[] { 0 }), b => b.SequenceEqual(payload) ? 1 : 0, check, out var hit).ShouldBe(1);
        hit.ShouldBeTrue();
    }

    [Fact]
    public void Key_changes_with_any_input()
    {
        var a = new CacheKey().Add("a", "bc").Finish();
        var b = new CacheKey().Add("ab", "c").Finish();
        var c = new CacheKey().Add("a", null).Finish();
        var d = new CacheKey().Add("a", string.Empty).Finish();
        new[] { a, b, c, d }.Distinct().Count().ShouldBe(4);
    }
}
