using System.Net;
using Federation.Silo.Overview;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests.Overview;

/// <summary>The page and its event stream on one embedded silo (open on loopback), shared by the tests of this class.</summary>
public sealed class OverviewEndpointTests : IAsyncLifetime
{
    private SiloUnderTest _silo = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _silo = await SiloUnderTest.StartEmbeddedAsync(extra: new Dictionary<string, string?>
    {
        ["Federation:Nation:Code"] = "DE",
        ["Federation:Overview:MaxStreams"] = "1",
        ["Federation:Overview:RefreshInterval"] = "00:00:00.5",
    });

    public async ValueTask DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task Overview_FirstResponse_IsHtmlListingThisNationWithAPolicyAllowingOnlyItsOwnScript()
    {
        using var response = await _silo.Client.GetAsync("overview", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<tr data-nation=\"DE\">", html, StringComparison.Ordinal);
        Assert.Contains("this nation", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/dashboard/\">Orleans dashboard (this silo)</a>", html, StringComparison.Ordinal);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);

        using var script = await _silo.Client.GetAsync("overview/live.js", Ct);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("new EventSource('/overview/events')", await script.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_OneStreamAllowed_SecondIsRefusedAndAStreamWhoseClientLeftIsFreed()
    {
        var feed = _silo.Services.GetRequiredService<OverviewFeed>();
        using (var first = await _silo.Client.GetAsync("overview/events", HttpCompletionOption.ResponseHeadersRead, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("text/event-stream", first.Content.Headers.ContentType?.MediaType);
            using var reader = new StreamReader(await first.Content.ReadAsStreamAsync(Ct));
            string? line;
            do
            {
                line = await reader.ReadLineAsync(Ct);
            }
            while (line is not null && !line.StartsWith("data: {\"id\":\"ov-nations\"", StringComparison.Ordinal));

            Assert.True(line is not null, "the stream ended before sending the nations section");
            Assert.Contains("data-nation=", line, StringComparison.Ordinal);

            using var second = await _silo.Client.GetAsync("overview/events", HttpCompletionOption.ResponseHeadersRead, Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
            Assert.Contains("MaxStreams", await second.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        await Eventually.WaitAsync(
            () => Task.FromResult(feed.OpenStreams),
            open => open == 0,
            TimeSpan.FromSeconds(20),
            "the stream slot to be given back after its client went away",
            TimeSpan.FromMilliseconds(50));
        using var third = await _silo.Client.GetAsync("overview/events", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }
}
