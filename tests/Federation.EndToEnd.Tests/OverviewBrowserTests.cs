using System.Diagnostics;
using System.Text.RegularExpressions;
using Federation.Contracts.Ids;
using Federation.Contracts.Peers;
using Federation.Protocol.Roster;
using Federation.Silo.Overview;
using Microsoft.Playwright;

namespace Federation.EndToEnd.Tests;

/// <summary>The federation overview in a real browser, on one launched three-nation federation.</summary>
[Trait("Category", "Browser")]
public sealed class OverviewBrowserTests(OverviewBrowserFixture fixture) : IClassFixture<OverviewBrowserFixture>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Overview_InDE_ShowsThreeNations_AJobFlowsDEToFRAndSucceedsLive_AStoppedNationTurnsUnreachable()
    {
        var federation = fixture.Federation;
        var page = await fixture.PageAsync("DE");
        var response = await page.GotoAsync(federation.Nation("DE").ApiUrl + "/overview");
        Assert.True(response?.Ok == true, $"GET /overview answered {response?.Status}: {(response is null ? "" : await response.TextAsync())}");

        // The first response already lists the three nations.
        foreach (var code in new[] { "DE", "FR", "SE" })
        {
            Assert.Equal(1, await page.Locator($"#ov-nations tr[data-nation='{code}']").CountAsync());
        }

        await WaitTextAsync(page, "#ov-live", "^Live:", "the page to open its event stream");
        await page.EvaluateAsync("() => { window.overviewNotReloaded = true; }");
        var clock = Stopwatch.StartNew();

        await federation.SubmitAsync("DE", JobFederation.Job("overview-run", "FR/cancer-registry", estimatedHours: 0.5));
        await WaitTextAsync(page, "#ov-flows tr[data-flow='DE-FR'] th", "^DE → FR$", "the flow table to show DE → FR after the job was submitted in DE");
        await WaitTextAsync(page, "#ov-flows tr[data-flow='DE-FR'] td[data-state='succeeded']", "^1$", "the DE → FR job to reach succeeded on the page");
        Assert.True(await page.EvaluateAsync<bool>("() => window.overviewNotReloaded === true"), "the page was reloaded: the updates must arrive live");
        TestContext.Current.TestOutputHelper?.WriteLine($"DE → FR succeeded on the page after {JobFederation.Elapsed(clock)}");

        var screenshot = Path.Combine(OverviewBrowserFixture.ArtifactDirectory(), "overview-de.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Console.Out.WriteLine($"overview screenshot: {screenshot}");
        TestContext.Current.TestOutputHelper?.WriteLine($"overview screenshot: {screenshot}");

        await federation.Launcher.StopNationAsync("SE");
        await WaitTextAsync(page, "#ov-nations tr[data-nation='SE'] td[data-field='health'] span.health", "^unreachable$", "SE to turn unreachable on the page after it was stopped");
        await WaitTextAsync(page, "#ov-nations tr[data-nation='FR'] td[data-field='health'] span.health", "^reachable$", "FR to stay reachable");
        Assert.True(await page.EvaluateAsync<bool>("() => window.overviewNotReloaded === true"), "the page was reloaded: the updates must arrive live");
        var stopped = Path.Combine(OverviewBrowserFixture.ArtifactDirectory(), "overview-de-se-stopped.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = stopped, FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"overview screenshot with SE stopped: {stopped}");
    }

    [Fact]
    public async Task Overview_HostilePeerNameAndAdvert_AreShownAsTextAndRunNothing()
    {
        const string Hostile = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">";
        var fr = TypedId.Parse<NationCode>("FR");
        var facts = new OverviewFacts(
            DateTimeOffset.UtcNow,
            TypedId.Parse<NationCode>("DE"),
            [new RosterEntry("DE", "Germany", "", ["1"], []), new RosterEntry("FR", Hostile, "", ["1"], [])],
            null,
            [new PeerStatus
            {
                Nation = fr, Health = PeerHealth.Unreachable, HealthReason = Hostile,
                LastAdvert = new CapabilityAdvert { Nation = fr, Name = Hostile, Pue = 1.1, GridZone = Hostile, GridIntensityGco2PerKwh = 50, SoftwareVersion = "1" },
            }],
            [],
            false,
            [],
            []);
        var page = await fixture.Browser.NewPageAsync();

        await page.SetContentAsync(OverviewRenderer.Page(OverviewBuilder.Build(facts), live: false));

        Assert.Null(await page.EvaluateAsync<int?>("() => window.pwned ?? null"));
        Assert.Equal(0, await page.Locator("#ov-nations img").CountAsync());
        Assert.Contains(Hostile, await page.Locator("#ov-nations tr[data-nation='FR'] th").InnerTextAsync(), StringComparison.Ordinal);
    }

    /// <summary>Waits on the DOM (no reload, no sleep) until <paramref name="selector"/>'s text matches <paramref name="pattern"/>.</summary>
    private static async Task WaitTextAsync(IPage page, string selector, string pattern, string expectation)
    {
        try
        {
            await Assertions.Expect(page.Locator(selector)).ToHaveTextAsync(new Regex(pattern), new LocatorAssertionsToHaveTextOptions { Timeout = (float)s_timeout.TotalMilliseconds });
        }
        catch (PlaywrightException e)
        {
            var shown = await page.Locator("main").InnerTextAsync();
            Assert.Fail($"Waited {s_timeout.TotalSeconds} s for {expectation} ({selector} matching /{pattern}/): {e.Message}\nThe page showed:\n{shown}");
        }
    }
}
