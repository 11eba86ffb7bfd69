namespace LatencyGate.Cli;

/// <summary>
/// What the CLI host knows about where it runs: its writers, its environment (CI, GitHub Actions,
/// the step summary file) and whether a person is watching a terminal. Tests pass their own.
/// </summary>
internal sealed class HostContext(TextWriter stdout, TextWriter stderr, Func<string, string?> environment, bool interactive)
{
    public TextWriter Stdout { get; } = stdout;

    public TextWriter Stderr { get; } = stderr;

    public string? Env(string name) => environment(name);

    /// <summary>Rich output (colours, live progress) only for a person at a terminal, never in CI.</summary>
    public bool Interactive { get; } = interactive && !IsTrue(environment("CI"));

    /// <summary>A live progress bar on stderr (a terminal, not CI); otherwise plain progress lines.</summary>
    public bool LiveProgress { get; init; } = interactive && !IsTrue(environment("CI"));

    /// <summary>Within a phase, plain progress lines come at most this often (and at least this often while work runs).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Terminal width for tables, when the host knows it (tests render at 80); null lets the console find out.</summary>
    public int? Width { get; init; }

    public bool InGitHubActions => IsTrue(Env("GITHUB_ACTIONS"));

    private static bool IsTrue(string? value) =>
        value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));
}
