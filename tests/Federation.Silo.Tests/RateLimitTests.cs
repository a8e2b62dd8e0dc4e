using System.Net;
using Federation.Testing;

namespace Federation.Silo.Tests;

/// <summary>Rate limits per token (issue 13): over the bucket a caller gets 429 problem+json with Retry-After; another token is unaffected.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private SiloUnderTest _silo = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _silo = await SiloUnderTest.StartEmbeddedAsync(extra: new Dictionary<string, string?>
    {
        ["Federation:RateLimits:PermitsPerSecond"] = "1",
        ["Federation:RateLimits:Burst"] = "3",
    });

    public async ValueTask DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task Requests_OverOneTokensBucket_Get429WithRetryAfter_OtherTokensStillServed()
    {
        using var greedy = _silo.CreateClient("greedy-token");
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 10 && refused is null; i++)
        {
            var response = await greedy.GetAsync("/api/v1/datasets", Ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.True(refused is not null, $"expected a 429 within 10 quick requests over a bucket of 3, got {string.Join(", ", statuses)}");
        using (refused)
        {
            var problem = await Http.ExpectProblemAsync(refused, HttpStatusCode.TooManyRequests);
            Assert.True(refused.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, $"expected Retry-After in seconds, got '{refused.Headers.RetryAfter}'");
            Assert.Contains("Federation:RateLimits", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        using var other = _silo.CreateClient("other-token");
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/datasets", Ct)).StatusCode);
    }
}
