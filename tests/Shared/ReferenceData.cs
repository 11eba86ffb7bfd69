using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// Locates ../shared/data (or LATENCYGATE_REFERENCE_DATA). Tests that need it use
/// <see cref="ReferenceDataFactAttribute"/>: skipped when the data is absent, failing instead when
/// LATENCYGATE_REQUIRE_REFERENCE_DATA=1 (as in CI).
/// </summary>
public static class ReferenceData
{
    private static readonly Lazy<string?> LazyRoot = new(Locate);

    public static bool IsRequired => Environment.GetEnvironmentVariable("LATENCYGATE_REQUIRE_REFERENCE_DATA") == "1";

    public static bool IsAvailable => LazyRoot.Value is not null;

    /// <summary>The data folder; throws (failing the test) when it is missing.</summary>
    public static string Root => LazyRoot.Value
        ?? throw new InvalidOperationException(
            "Reference data not found: set LATENCYGATE_REFERENCE_DATA or place ../shared/data beside the repository.");

    public static string PathOf(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The repository root (the folder holding LatencyGate.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string? Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("LATENCYGATE_REFERENCE_DATA");
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return Directory.Exists(fromEnv) ? System.IO.Path.GetFullPath(fromEnv) : null;
        }

        var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot, "..", "shared", "data"));
        return Directory.Exists(candidate) ? candidate : null;
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "LatencyGate.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("LatencyGate.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fact that needs ../shared/data: skipped without it, unless CI requires it.</summary>
public sealed class ReferenceDataFactAttribute : FactAttribute
{
    public ReferenceDataFactAttribute()
    {
        if (!ReferenceData.IsAvailable && !ReferenceData.IsRequired)
        {
            Skip = "Reference data not found (set LATENCYGATE_REFERENCE_DATA or place ../shared/data beside the repository).";
        }
    }
}

/// <summary>A theory that needs ../shared/data: skipped without it, unless CI requires it.</summary>
public sealed class ReferenceDataTheoryAttribute : TheoryAttribute
{
    public ReferenceDataTheoryAttribute()
    {
        if (!ReferenceData.IsAvailable && !ReferenceData.IsRequired)
        {
            Skip = "Reference data not found (set LATENCYGATE_REFERENCE_DATA or place ../shared/data beside the repository).";
        }
    }
}
