using System.Text.RegularExpressions;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Docs;

public sealed partial class DiagnosticsDocTests
{
    [Fact]
    public void Every_code_the_product_emits_is_documented()
    {
        var root = ReferenceData.RepositoryRoot;
        var emitted = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => CodeLiteral().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        var documented = DocumentedRow().Matches(File.ReadAllText(Path.Combine(root, "docs", "diagnostics.md")))
            .Select(m => m.Groups[1].Value)
            .ToHashSet(StringComparer.Ordinal);

        emitted.Count.ShouldBeGreaterThan(50);
        emitted.Except(documented).Order(StringComparer.Ordinal).ShouldBeEmpty();
    }

    /// <summary>
    /// The other direction (issue 18 item 16): a documented code that no source emits is a promise
    /// the product does not keep (LG0430–LG0432 were documented at the manifest line but never
    /// raised). Which input gives which code is checked case by case in the CLI's HostileDiagnosticsTests.
    /// </summary>
    [Fact]
    public void Every_documented_code_is_emitted_somewhere()
    {
        var root = ReferenceData.RepositoryRoot;
        var source = string.Join('\n', Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        var documented = DocumentedRow().Matches(File.ReadAllText(Path.Combine(root, "docs", "diagnostics.md")))
            .Select(m => m.Groups[1].Value)
            .Where(code => code != "LG0000")
            .ToArray();

        documented.Where(code => !source.Contains(code, StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [GeneratedRegex("\"(LG\\d{4})\"")]
    private static partial Regex CodeLiteral();

    [GeneratedRegex(@"^\| (LG\d{4}) \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedRow();
}
