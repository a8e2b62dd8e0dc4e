using System.Diagnostics;
using System.Text.Json;

namespace Federation.Benchmarks;

/// <summary>GET /api/v1/datasets pages as probes.</summary>
internal sealed class ApiPages(HttpClient client)
{
    /// <summary>
    /// A probe of GET /api/v1/datasets?<paramref name="query"/>: timed from sending the request to
    /// having read the whole body (HTTP over loopback, authentication, the read-model query, JSON).
    /// </summary>
    public Probe Page(string name, string query, int expectedRows)
    {
        var path = "/api/v1/datasets?" + query;
        return new Probe(name, async () =>
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            var elapsed = clock.Elapsed;
            return response.IsSuccessStatusCode
                ? (elapsed, Rows(body, path))
                : throw new InvalidOperationException($"Measuring: GET {path} answered {(int)response.StatusCode}: {body}");
        }, expectedRows);
    }

    private static int Rows(string body, string path)
    {
        using var page = JsonDocument.Parse(body);
        return page.RootElement.TryGetProperty("items", out var items)
            ? items.GetArrayLength()
            : throw new InvalidOperationException($"Measuring: GET {path} answered without 'items': {body[..Math.Min(body.Length, 300)]}");
    }
}
