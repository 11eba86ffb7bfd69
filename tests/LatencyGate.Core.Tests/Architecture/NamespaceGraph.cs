using System.Text.RegularExpressions;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace LatencyGate.Tests.Architecture;

/// <summary>
/// Which top-level namespace of an assembly names which other one, read from its metadata and IL
/// (signatures, attributes, locals and every type, method or field an instruction names).
/// A "slice" is the first two segments: <c>LatencyGate.Predictors.Lut</c> belongs to
/// <c>LatencyGate.Predictors</c>, the unit the layer drawing in docs/architecture.md talks about.
/// Constants and <c>nameof</c> leave no trace in IL, so <see cref="AddSource"/> adds what the
/// source files name: <c>using</c> directives and qualified names.
/// </summary>
internal sealed partial class NamespaceGraph
{
    private readonly string _prefix;
    private readonly SortedDictionary<string, SortedDictionary<string, string>> _edges = new(StringComparer.Ordinal);

    private readonly Dictionary<string, HashSet<string>> _typeNames = new(StringComparer.Ordinal);

    private NamespaceGraph(string prefix) => _prefix = prefix;

    /// <summary>Slice → slices it names, each edge with one example ("Type -> Type").</summary>
    public IReadOnlyDictionary<string, SortedDictionary<string, string>> Edges => _edges;

    public static NamespaceGraph Read(string assemblyPath, string prefix)
    {
        var graph = new NamespaceGraph(prefix);
        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath);
        foreach (var type in assembly.MainModule.GetTypes())
        {
            var from = graph.SliceOf(type);
            if (from is null)
            {
                continue;
            }

            graph._edges.TryAdd(from, new SortedDictionary<string, string>(StringComparer.Ordinal));
            if (type.DeclaringType is null)
            {
                (graph._typeNames.TryGetValue(from, out var names) ? names : graph._typeNames[from] = new(StringComparer.Ordinal))
                    .Add(type.Name.Split('`')[0]);
            }

            foreach (var used in ReferencedTypes(type))
            {
                graph.Add(from, type, used);
            }
        }

        return graph;
    }

    /// <summary>
    /// Adds the edges the C# files under <paramref name="sourceFolder"/> show: <c>using</c> directives
    /// of another slice, and names qualified by a slice (<c>LatencyGate.Reporting.ReportFormat</c>,
    /// or <c>Reporting.ReportFormat</c> when the second part is a type of that slice).
    /// </summary>
    public NamespaceGraph AddSource(string sourceFolder)
    {
        var slices = _typeNames.Keys.ToDictionary(s => s[(_prefix.Length + 1)..], StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(sourceFolder, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(sourceFolder, file);
            if (relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                || relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            var code = CommentOrString().Replace(File.ReadAllText(file), " ");
            var declared = FileNamespace().Match(code);
            if (!declared.Success || !slices.TryGetValue(declared.Groups[1].Value, out var from))
            {
                continue;
            }

            foreach (Match m in QualifiedName().Matches(code))
            {
                var slice = m.Groups[1].Value;
                var name = m.Groups[2].Value;
                var fullyQualified = m.Value.StartsWith(_prefix + ".", StringComparison.Ordinal);
                var isUsing = m.Value.StartsWith("using", StringComparison.Ordinal);
                if (slices.TryGetValue(slice, out var to) && to != from
                    && (fullyQualified || isUsing || _typeNames[to].Contains(name)))
                {
                    _edges[from].TryAdd(to, $"{relative.Replace(Path.DirectorySeparatorChar, '/')}: {m.Value.Trim()}");
                }
            }
        }

        return this;
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|""(?:[^""\\\n]|\\.)*""", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();

    [GeneratedRegex(@"^namespace\s+LatencyGate\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"(?:using\s+(?:static\s+)?(?:\w+\s*=\s*)?LatencyGate\.|LatencyGate\.|(?<![\w.]))([A-Z]\w*)(?:\.(\w+)|\s*;)")]
    private static partial Regex QualifiedName();

    /// <summary>Groups of slices that name each other, directly or through others (strongly connected components of size two or more).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles() =>
        StronglyConnected(_edges.ToDictionary(e => e.Key, e => (IReadOnlyCollection<string>)e.Value.Keys, StringComparer.Ordinal))
            .Where(c => c.Count > 1)
            .ToList();

    /// <summary>Tarjan's algorithm; components sorted for a stable message.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> StronglyConnected(IReadOnlyDictionary<string, IReadOnlyCollection<string>> edges)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var result = new List<IReadOnlyList<string>>();
        var next = 0;

        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in edges.TryGetValue(v, out var ws) ? ws : [])
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                component.Sort(StringComparer.Ordinal);
                result.Add(component);
            }
        }

        foreach (var v in edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(v))
            {
                Visit(v);
            }
        }

        return [.. result.OrderBy(c => c[0], StringComparer.Ordinal)];
    }

    private void Add(string from, TypeDefinition fromType, TypeReference? used)
    {
        if (used is null)
        {
            return;
        }

        while (used is TypeSpecification spec)
        {
            if (used is GenericInstanceType generic)
            {
                foreach (var argument in generic.GenericArguments)
                {
                    Add(from, fromType, argument);
                }
            }

            used = spec.ElementType;
        }

        if (used is GenericParameter)
        {
            return;
        }

        var to = SliceOf(used);
        if (to is not null && to != from)
        {
            _edges[from].TryAdd(to, $"{Outermost(fromType).FullName} -> {Outermost(used).FullName}");
        }
    }

    private string? SliceOf(TypeReference type)
    {
        var ns = Outermost(type).Namespace;
        if (!ns.StartsWith(_prefix + ".", StringComparison.Ordinal))
        {
            return null;
        }

        var end = ns.IndexOf('.', _prefix.Length + 1);
        return end < 0 ? ns : ns[..end];
    }

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    private static IEnumerable<TypeReference?> ReferencedTypes(TypeDefinition type)
    {
        yield return type.BaseType;
        foreach (var i in type.Interfaces)
        {
            yield return i.InterfaceType;
        }

        foreach (var a in type.CustomAttributes)
        {
            yield return a.AttributeType;
        }

        foreach (var f in type.Fields)
        {
            yield return f.FieldType;
        }

        foreach (var p in type.Properties)
        {
            yield return p.PropertyType;
        }

        foreach (var e in type.Events)
        {
            yield return e.EventType;
        }

        foreach (var m in type.Methods)
        {
            yield return m.ReturnType;
            foreach (var p in m.Parameters)
            {
                yield return p.ParameterType;
            }

            foreach (var a in m.CustomAttributes)
            {
                yield return a.AttributeType;
            }

            if (!m.HasBody)
            {
                continue;
            }

            foreach (var v in m.Body.Variables)
            {
                yield return v.VariableType;
            }

            foreach (var instruction in m.Body.Instructions)
            {
                foreach (var t in OperandTypes(instruction))
                {
                    yield return t;
                }
            }
        }
    }

    private static IEnumerable<TypeReference?> OperandTypes(Instruction instruction)
    {
        switch (instruction.Operand)
        {
            case TypeReference t:
                yield return t;
                break;
            case MethodReference m:
                yield return m.DeclaringType;
                yield return m.ReturnType;
                foreach (var p in m.Parameters)
                {
                    yield return p.ParameterType;
                }

                if (m is GenericInstanceMethod g)
                {
                    foreach (var a in g.GenericArguments)
                    {
                        yield return a;
                    }
                }

                break;
            case FieldReference f:
                yield return f.DeclaringType;
                yield return f.FieldType;
                break;
        }
    }
}
