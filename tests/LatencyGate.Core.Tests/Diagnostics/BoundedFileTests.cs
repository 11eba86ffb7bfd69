using LatencyGate.Caching;
using LatencyGate.Diagnostics;
using LatencyGate.Files;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Diagnostics;

/// <summary>Bounded input reads, bounded folder walks and cache entries bound to their key (issue 18 items 2, 3, 8, 11).</summary>
public sealed class BoundedFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lg-bounded-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Oversized_device_and_folder_inputs_are_coded_errors()
    {
        var big = Path.Combine(_dir, "big.txt");
        File.WriteAllBytes(big, new byte[2048]);
        Should.Throw<LatencyGateException>(() => BoundedFile.ReadAllBytes(big, 1024, "LG0007", "the arch file")).Diagnostics[0].Message.ShouldContain("more than the 1024 bytes");
        BoundedFile.ReadAllBytes(big, 2048, "LG0007", "the arch file").Length.ShouldBe(2048);
        Should.Throw<LatencyGateException>(() => BoundedFile.ReadAllBytes("/dev/zero", 1L << 30, "LG0152", "the measurements")).Diagnostics[0].Code.ShouldBe("LG0152");
        Should.Throw<LatencyGateException>(() => BoundedFile.ReadAllBytes(_dir, 1024, "LG0413", "the manifest")).Diagnostics[0].Message.ShouldContain("folder");
        Should.Throw<LatencyGateException>(() => BoundedFile.Probe("/dev/zero", 1024, "LG0100", "the weights file")).Diagnostics[0].Code.ShouldBe("LG0100");
        BoundedFile.ReadAllText(WithBom(), 1024, "LG0152", "x").ShouldBe("arch");
    }

    [Theory]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    [InlineData("utf-32le")]
    [InlineData("utf-32be")]
    public void Text_with_a_UTF16_or_UTF32_byte_order_mark_is_decoded_as_such(string encodingName)
    {
        // A Windows editor's "Unicode" manifest read as UTF-8 was a NUL after every character (LG0400).
        var encoding = encodingName switch
        {
            "utf-16le" => (System.Text.Encoding)new System.Text.UnicodeEncoding(bigEndian: false, byteOrderMark: true),
            "utf-16be" => new System.Text.UnicodeEncoding(bigEndian: true, byteOrderMark: true),
            "utf-32le" => new System.Text.UTF32Encoding(bigEndian: false, byteOrderMark: true),
            _ => new System.Text.UTF32Encoding(bigEndian: true, byteOrderMark: true),
        };
        var text = "version: 1\nspace: ofa-mbv3-w1.2 # é, 25 ms\n";
        var path = Path.Combine(_dir, encodingName + ".yaml");
        File.WriteAllBytes(path, [.. encoding.GetPreamble(), .. encoding.GetBytes(text)]);

        BoundedFile.ReadAllText(path, 1024, "LG0413", "the manifest").ShouldBe(text);
    }

    [Fact]
    public void A_folder_walk_skips_folder_links_and_is_bounded()
    {
        File.WriteAllText(Path.Combine(_dir, "t.yaml"), "x");
        File.CreateSymbolicLink(Path.Combine(_dir, "a"), ".");
        File.CreateSymbolicLink(Path.Combine(_dir, "b"), ".");
        FolderWalk.Files(_dir, "LG0046").Select(Path.GetFileName).ShouldBe(["t.yaml"]);

        var deep = _dir;
        for (var i = 0; i <= FolderWalk.MaxDepth + 1; i++)
        {
            deep = Directory.CreateDirectory(Path.Combine(deep, "d")).FullName;
        }

        Should.Throw<LatencyGateException>(() => FolderWalk.Files(_dir, "LG0046")).Diagnostics[0].Code.ShouldBe("LG0046");
    }

    [Fact]
    public void A_cache_entry_under_another_key_is_corrupt_and_rebuilt()
    {
        var cache = new ArtifactCache(_dir);
        var bag = new DiagnosticBag();
        cache.GetOrBuild("k1", () => ("one", "one"u8.ToArray()), p => System.Text.Encoding.UTF8.GetString(p), bag, out _);
        cache.GetOrBuild("k2", () => ("two", "two"u8.ToArray()), p => System.Text.Encoding.UTF8.GetString(p), bag, out _);
        var (p1, p2) = (cache.PathFor("k1"), cache.PathFor("k2"));
        var one = File.ReadAllBytes(p1);
        File.WriteAllBytes(p1, File.ReadAllBytes(p2));
        File.WriteAllBytes(p2, one);

        cache.GetOrBuild("k1", () => ("one", "one"u8.ToArray()), p => System.Text.Encoding.UTF8.GetString(p), bag, out var hit).ShouldBe("one");
        hit.ShouldBeFalse();
        bag.Items.ShouldHaveSingleItem().Message.ShouldContain("another key");
        cache.GetOrBuild("k1", () => ("x", null), p => System.Text.Encoding.UTF8.GetString(p), bag, out hit).ShouldBe("one");
        hit.ShouldBeTrue("the rebuilt entry is bound to its own key");
    }

    private string WithBom()
    {
        var path = Path.Combine(_dir, "bom.csv");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, (byte)'a', (byte)'r', (byte)'c', (byte)'h']);
        return path;
    }
}
