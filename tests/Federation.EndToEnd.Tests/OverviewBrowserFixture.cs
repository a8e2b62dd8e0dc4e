using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// One launched FR, DE and SE federation and one headless Chromium, shared by the overview's browser
/// tests. Chromium is Debian's (<c>/usr/bin/chromium</c>, or <c>FEDERATION_CHROMIUM</c>), driven by
/// Playwright for .NET, whose driver ships inside its package: nothing is downloaded at test time.
/// </summary>
public sealed class OverviewBrowserFixture : IAsyncLifetime
{
    /// <summary>The accelerators of each nation; the test's data may be processed only in FR.</summary>
    public static readonly IReadOnlyDictionary<string, (string Node, string Slug, int Count)[]> Accelerators = new Dictionary<string, (string, string, int)[]>
    {
        ["FR"] = [("fr-a100", "a100-80gb-sxm", 4)],
        ["DE"] = [("de-a100", "a100-80gb-sxm", 2)],
        ["SE"] = [("se-a100", "a100-80gb-sxm", 2)],
    };

    private IPlaywright? _playwright;

    /// <summary>The federation.</summary>
    public JobFederation Federation { get; private set; } = null!;

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where Chromium is expected.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("FEDERATION_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is missing at {ChromiumPath}: the overview's browser tests need it. Install Debian's package (apt-get install chromium; .ci/run does this) or set FEDERATION_CHROMIUM to a Chromium binary.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
        Federation = await JobFederation.StartAsync(Accelerators);
        await Federation.RegisterDatasetAsync("FR/cancer-registry", 2_000_000_000, "homeOnly", new JsonObject { ["permission"] = "HMB" });
    }

    /// <summary>A page whose every request carries <paramref name="code"/>'s nation-admin token (the overview is for staff).</summary>
    public async Task<IPage> PageAsync(string code)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 1100 },
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer local-{code.ToLowerInvariant()}-admin-token" },
        });
        return await context.NewPageAsync();
    }

    /// <summary>Where screenshots go: <c>FEDERATION_ARTIFACTS</c>, else TestResults/browser at the repository root.</summary>
    public static string ArtifactDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("FEDERATION_ARTIFACTS");
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Federation.sln")))
        {
            root = root.Parent;
        }

        var directory = configured is { Length: > 0 } ? configured : Path.Combine(root?.FullName ?? AppContext.BaseDirectory, "TestResults", "browser");
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Federation is not null)
        {
            await Federation.DisposeAsync();
        }

        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
