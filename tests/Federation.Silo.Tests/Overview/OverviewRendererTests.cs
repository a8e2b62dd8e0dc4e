using System.Text.RegularExpressions;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Silo.Overview;
using Federation.Transparency;
using static Federation.Silo.Tests.Overview.OverviewFixtures;

namespace Federation.Silo.Tests.Overview;

public sealed partial class OverviewRendererTests
{
    private const string Hostile = "<script>window.pwned=1</script><img src=x onerror=alert(1)>\"'&";

    [Fact]
    public void Page_HostileNamesAdvertsAndReasons_AreEncodedSoNoMarkupOfThemSurvives()
    {
        var peers = new[]
        {
            new PeerStatus
            {
                Nation = Code("FR"), Health = PeerHealth.Unreachable, HealthReason = Hostile, LastAdvert = Advert("FR", Hostile) with { GridZone = Hostile },
                Transparency = "inconsistent", TransparencyReason = Hostile, Flags = [Hostile],
            },
        };
        var refusals = new[] { TransparencyEntry.Create(TransparencyEntryKind.Refusal, Now, peer: "FR", rule: "r<b>", detail: [new("why", Hostile)]) };
        var jobs = new[] { Job("t-1", JobState.Planned, null, Hostile) };

        var html = OverviewRenderer.Page(OverviewBuilder.Build(Facts(peers: peers, jobs: jobs, refusals: refusals, roster: [Entry("FR", Hostile), Entry("DE", "Germany")])));

        Assert.Single(ScriptTag().Matches(html));
        Assert.Contains("<script src=\"/overview/live.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;window.pwned=1&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Page_Tables_HaveCaptionsAndScopedHeadersAndTheLandmarks()
    {
        var html = OverviewRenderer.Page(OverviewBuilder.Build(Facts(jobs: [Job("t-1", JobState.Running, "FR"), Job("t-2", JobState.Planned, null, "no room")])));

        var tables = Regex.Count(html, "<table>");
        Assert.True(tables >= 4, $"expected the nations, jobs, flows, pending and silos tables, found {tables}");
        Assert.Equal(tables, Regex.Count(html, "<caption>"));
        Assert.DoesNotContain("<th>", html, StringComparison.Ordinal);
        Assert.Contains("<main id=\"main\"", html, StringComparison.Ordinal);
        Assert.Contains("<nav aria-label=\"Sections\">", html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">DE → FR</th>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Page_HealthAndFlaggedLogs_AreWrittenInWordsNotOnlyColour()
    {
        var peers = new[] { new PeerStatus { Nation = Code("FR"), Health = PeerHealth.Unreachable, Transparency = "inconsistent", TransparencyReason = "roots differ" } };

        var html = OverviewRenderer.Page(OverviewBuilder.Build(Facts(peers: peers)));

        Assert.Contains(">unreachable</span>", html, StringComparison.Ordinal);
        Assert.Contains("Warning: FR log heads inconsistent", html, StringComparison.Ordinal);
        Assert.Contains("<strong class=\"flag\">Warning: inconsistent</strong>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Sections_EachIsOneSectionElementWithItsId_InPageOrder()
    {
        var model = OverviewBuilder.Build(Facts());
        var sections = OverviewRenderer.Sections(model);
        var page = OverviewRenderer.Page(model);

        Assert.Equal(OverviewRenderer.SectionIds, sections.Select(s => s.Key));
        foreach (var (id, html) in sections)
        {
            Assert.StartsWith($"<section id=\"{id}\"", html, StringComparison.Ordinal);
            Assert.EndsWith("</section>", html, StringComparison.Ordinal);
            Assert.Single(Regex.Matches(html, "<section"));
            Assert.Contains(html, page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Page_WithoutLive_HasNoScript()
    {
        var html = OverviewRenderer.Page(OverviewBuilder.Build(Facts()), live: false);

        Assert.Empty(ScriptTag().Matches(html));
        Assert.Contains("Live updates are off", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<script", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();
}
