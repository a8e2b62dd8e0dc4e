using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Federation.Benchmarks;

/// <summary>
/// Posts as a well-behaved API client does: an HTTP 503 means the nation acknowledged nothing (its
/// store or cluster was briefly unreachable), so the same request is sent again after its
/// <c>Retry-After</c>, up to <see cref="Attempts"/> times. Job ids make the retry idempotent.
/// </summary>
internal static class Retry503
{
    /// <summary>Attempts per request, the first included.</summary>
    public const int Attempts = 6;

    private static long s_retries;

    /// <summary>Requests sent again after a 503 so far in this process.</summary>
    public static long Retries => Interlocked.Read(ref s_retries);

    /// <summary>POSTs <paramref name="body"/> as JSON to <paramref name="path"/>; returns the last response (the caller disposes it).</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, JsonNode body, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await client.PostAsJsonAsync(path, body, cancellationToken);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt >= Attempts)
            {
                return response;
            }

            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            Interlocked.Increment(ref s_retries);
            await Task.Delay(wait < TimeSpan.FromSeconds(10) ? wait : TimeSpan.FromSeconds(10), cancellationToken);
        }
    }
}
