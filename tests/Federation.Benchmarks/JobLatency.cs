using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Federation.Benchmarks;

/// <summary>
/// Submit -> admitted latency of single jobs, from the job's own events in DE (server-sent, read
/// from the start): the time of its <c>admitted</c> event minus that of its <c>submitted</c> event,
/// both taken by DE's clock. DE records <c>admitted</c> when FR's answer to the offer arrives, and FR
/// answers after its admission is committed.
/// </summary>
internal static class JobLatency
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Submits <paramref name="count"/> jobs one at a time through <c>POST /api/v1/jobs</c>, each once
    /// the previous one is admitted and <paramref name="gap"/> more has passed. Returns the event latencies and the client's own wall-clock
    /// times (from before the POST until the admitted event reached it), in milliseconds.
    /// </summary>
    public static async Task<(List<double> Events, List<double> Client)> LowLoadAsync(HttpClient de, int count, TimeSpan gap, Func<string, JsonObject> job, CancellationToken cancellationToken)
    {
        var (events, client) = (new List<double>(count), new List<double>(count));
        for (var i = 1; i <= count; i++)
        {
            if (i > 1 && gap > TimeSpan.Zero)
            {
                await Task.Delay(gap, cancellationToken); // pacing the load, not waiting for a condition
            }

            var id = $"ll-{i:D6}";
            var clock = Stopwatch.StartNew();
            using (var response = await Retry503.PostAsync(de, "api/v1/jobs", job(id), cancellationToken))
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"POST /api/v1/jobs ({id}): HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }
            }

            events.Add(await SubmitToAdmittedAsync(de, id, cancellationToken));
            client.Add(clock.Elapsed.TotalMilliseconds);
        }

        return (events, client);
    }

    /// <summary>The event latencies of <paramref name="ids"/> (already admitted), <paramref name="parallel"/> streams at a time.</summary>
    public static async Task<List<double>> OfAsync(IReadOnlyList<HttpClient> de, IReadOnlyList<string> ids, int parallel, CancellationToken cancellationToken)
    {
        var latencies = new double[ids.Count];
        await Parallel.ForAsync(0, ids.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, async (i, ct) =>
            latencies[i] = await SubmitToAdmittedAsync(de[i % de.Count], ids[i], ct));
        return [.. latencies];
    }

    /// <summary>An evenly spaced sample of at most <paramref name="most"/> of <paramref name="ids"/>.</summary>
    public static IReadOnlyList<string> Sample(IReadOnlyList<string> ids, int most) =>
        ids.Count <= most ? ids : [.. Enumerable.Range(0, most).Select(i => ids[(int)((long)i * ids.Count / most)])];

    /// <summary>The <paramref name="quantile"/> (0..1) of <paramref name="values"/>, nearest rank; NaN when empty.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double quantile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static async Task<double> SubmitToAdmittedAsync(HttpClient de, string id, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/jobs/{Uri.EscapeDataString(id)}/events");
        using var response = await de.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET /api/v1/jobs/{id}/events: HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(timeout.Token)}");
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        DateTimeOffset? submitted = null;
        var seen = new List<string>();
        try
        {
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                if (!line.StartsWith("data:", StringComparison.Ordinal))
                {
                    continue;
                }

                var e = JsonNode.Parse(line["data:".Length..])!;
                var state = e["state"]?.GetValue<string>() ?? "";
                var at = DateTimeOffset.Parse(e["at"]!.GetValue<string>(), CultureInfo.InvariantCulture);
                seen.Add(state);
                submitted ??= state == "submitted" ? at : null;
                // A report from the executing nation can reach the origin before the offer's answer
                // (batches travel both ways at once): its first state past the offer counts as admitted.
                if (state is "admitted" or "queued" or "running" or "succeeded" && submitted is { } from)
                {
                    return (at - from).TotalMilliseconds;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"job {id}: no admitted (or later) event within {s_timeout.TotalSeconds:0} s (events so far: {string.Join(", ", seen)})");
        }

        throw new InvalidOperationException($"job {id}: its events ended without a submitted and an admitted event (events: {string.Join(", ", seen)})");
    }
}
