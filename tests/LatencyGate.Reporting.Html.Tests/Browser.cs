using Microsoft.Playwright;
using Xunit;

namespace LatencyGate.Tests;

/// <summary>
/// Debian's chromium, driven by Playwright (which never downloads a browser here). Found at
/// LATENCYGATE_CHROMIUM or the usual paths; tests skip without it unless LATENCYGATE_REQUIRE_BROWSER=1
/// (set by .ci/run, which installs it).
/// </summary>
public static class Chromium
{
    public static string? ExecutablePath { get; } = Locate();

    public static bool IsRequired => Environment.GetEnvironmentVariable("LATENCYGATE_REQUIRE_BROWSER") == "1";

    private static string? Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("LATENCYGATE_CHROMIUM");
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return File.Exists(fromEnv) ? fromEnv : null;
        }

        return new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);
    }
}

/// <summary>A fact that needs chromium (and, for the sweep, the reference data).</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute(bool needsReferenceData = false)
    {
        if (Chromium.ExecutablePath is null && !Chromium.IsRequired)
        {
            Skip = "chromium not found (apt-get install chromium, or set LATENCYGATE_CHROMIUM).";
        }
        else if (needsReferenceData && !ReferenceData.IsAvailable && !ReferenceData.IsRequired)
        {
            Skip = "Reference data not found (set LATENCYGATE_REFERENCE_DATA or place ../shared/data beside the repository).";
        }
    }
}

/// <summary>One browser for every browser test of the run (launching it is the slow part).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser? Browser { get; private set; }

    public async Task InitializeAsync()
    {
        if (Chromium.ExecutablePath is not { } path)
        {
            return;
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            // Root in a container has no user namespace for chromium's sandbox.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
