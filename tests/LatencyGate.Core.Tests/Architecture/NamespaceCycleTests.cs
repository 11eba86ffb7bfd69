using LatencyGate.Diagnostics;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Architecture;

/// <summary>
/// Dependencies between Core's top-level namespaces point one way (docs/architecture.md): a file
/// in A naming B while a file in B names A, directly or through other namespaces, fails here.
/// </summary>
public sealed class NamespaceCycleTests
{
    private static readonly Lazy<NamespaceGraph> Core =
        new(() => NamespaceGraph.Read(typeof(Diagnostic).Assembly.Location, "LatencyGate")
            .AddSource(Path.Combine(ReferenceData.RepositoryRoot, "src", "LatencyGate.Core")));

    [Fact]
    public void Core_namespaces_form_no_cycle()
    {
        var graph = Core.Value;
        graph.Edges.Count.ShouldBeGreaterThan(10, "the reader found Core's namespaces");
        var cycles = graph.Cycles();
        cycles.ShouldBeEmpty(Describe(graph, cycles));
    }

    [Fact]
    public void Diagnostics_names_no_other_core_namespace()
    {
        // Every namespace reports through Diagnostics (codes, exceptions, bags): it must stay a leaf.
        Core.Value.Edges["LatencyGate.Diagnostics"].Keys.ShouldBeEmpty();
    }

    [Fact]
    public void The_reader_sees_dependencies_through_method_bodies_and_generics()
    {
        // Gating's runner names Predictors only inside method bodies and generic arguments among others;
        // a reader that looked at signatures only would miss edges and let cycles through.
        var edges = Core.Value.Edges;
        edges["LatencyGate.Gating"].Keys.ShouldContain("LatencyGate.Predictors");
        edges["LatencyGate.Gating"].Keys.ShouldContain("LatencyGate.Diagnostics");
        edges["LatencyGate.Spaces"].Keys.ShouldNotContain("LatencyGate.Gating");
    }

    [Fact]
    public void A_constant_named_across_namespaces_closes_a_cycle()
    {
        // A const is inlined by the compiler, so only the source shows the edge: Spaces naming a code
        // kept in Monotonicity (as FbNetArch once did) while Monotonicity reads Spaces' archs.
        using var folder = new TempSourceFolder();
        folder.Write("Spaces/Bad.cs", """
            namespace LatencyGate.Spaces;

            internal static class Bad
            {
                // Monotonicity.MonotonicityReport in a comment is not an edge.
                public const string Code = Monotonicity.MonotonicityReport.Code;
            }
            """);
        var graph = NamespaceGraph.Read(typeof(Diagnostic).Assembly.Location, "LatencyGate");
        graph.Edges["LatencyGate.Monotonicity"].Keys.ShouldContain("LatencyGate.Spaces");
        graph.Cycles().ShouldBeEmpty();

        graph.AddSource(folder.Path);

        graph.Edges["LatencyGate.Spaces"]["LatencyGate.Monotonicity"].ShouldBe("Spaces/Bad.cs: Monotonicity.MonotonicityReport");
        graph.Cycles().ShouldContain(c => c.Contains("LatencyGate.Spaces") && c.Contains("LatencyGate.Monotonicity"));
    }

    [Fact]
    public void Cycle_finder_reports_direct_and_indirect_cycles()
    {
        var edges = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal)
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A", "D"],
            ["D"] = [],
            ["E"] = ["F"],
            ["F"] = ["E"],
        };
        var cycles = NamespaceGraph.StronglyConnected(edges).Where(c => c.Count > 1).ToList();
        cycles.Count.ShouldBe(2);
        cycles[0].ShouldBe(["A", "B", "C"]);
        cycles[1].ShouldBe(["E", "F"]);
    }

    private sealed class TempSourceFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("lg-arch-").FullName;

        public void Write(string relative, string text)
        {
            var file = System.IO.Path.Combine(Path, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    private static string Describe(NamespaceGraph graph, IReadOnlyList<IReadOnlyList<string>> cycles) =>
        string.Join(
            Environment.NewLine,
            cycles.Select(cycle => "cycle: " + string.Join(" <-> ", cycle) + Environment.NewLine + string.Join(
                Environment.NewLine,
                cycle.SelectMany(from => graph.Edges[from]
                    .Where(e => cycle.Contains(e.Key))
                    .Select(e => $"  {from} -> {e.Key}: {e.Value}")))));
}
