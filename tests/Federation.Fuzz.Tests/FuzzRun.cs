using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;

namespace Federation.Fuzz.Tests;

/// <summary>
/// Sends the generated requests of one nation in order (request <c>i</c> of stream <c>s</c> is
/// generated from <c>PCG(s, seed)</c> advanced <c>i</c> times, so a seed replays exactly), checks every
/// answer, the nation's readiness and RSS as it goes, and remembers what the API acknowledged.
/// </summary>
public sealed partial class FuzzRun(string nation, uint stream, ulong seed, Gen<FuzzRequest> requests, HttpClient user, HttpClient federation, int pid, ConcurrentDictionary<string, int> tally)
{
    /// <summary>Readiness and RSS are checked every this many requests.</summary>
    public const int CheckEvery = 250;

    /// <summary>Requests sent before the warm-up RSS is read.</summary>
    public const int WarmUp = 200;

    /// <summary>How far RSS may grow over its warm-up value.</summary>
    public const long RssAllowanceKiB = 256 * 1024;

    private const int MaxViolations = 25;

    /// <summary>What went wrong: each line names the seed, the request number and the request.</summary>
    public List<string> Violations { get; } = [];

    /// <summary>Pool ids (<c>fz-ds-3</c>, <c>fz-mjob-2</c>, ...) that appeared in a request answered 2xx.</summary>
    public HashSet<string> AcknowledgedTokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Keys (by listing) created by an acknowledged request and not deleted since.</summary>
    public HashSet<(string Listing, string Key)> Present { get; } = [];

    /// <summary>RSS after warm-up and the highest seen, KiB.</summary>
    public (long WarmUp, long Peak) Rss { get; private set; }

    public async Task RunAsync(int count, CancellationToken cancellationToken)
    {
        var pcg = new PCG(stream, seed);
        for (var i = 0; i < count && Violations.Count < MaxViolations; i++)
        {
            var request = requests.Generate(pcg, null, out _);
            await SendAsync(i, request, cancellationToken);
            if (i == WarmUp)
            {
                var rss = ReadRssKiB();
                Rss = (rss, rss);
            }

            if (i % CheckEvery == 0 || i == count - 1)
            {
                await CheckReadyAndRssAsync(i, cancellationToken);
            }
        }
    }

    private async Task SendAsync(int index, FuzzRequest request, CancellationToken cancellationToken)
    {
        var client = request.Api == FuzzApi.User ? user : federation;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(client.BaseAddress!, request.PathAndQuery));
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body));
            message.Content.Headers.ContentType = null;
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }

        if (request.Api == FuzzApi.Federation)
        {
            // Replayable ids; one request in twenty carries a malformed one.
            message.Headers.TryAddWithoutValidation("Federation-Request-Id", index % 20 == 7 ? "not-a-request-id" : RequestId(index));
        }

        int status;
        string body;
        MediaTypeHeaderValue? contentType;
        bool closed;
        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            status = (int)response.StatusCode;
            contentType = response.Content.Headers.ContentType;
            closed = response.Headers.ConnectionClose == true;

            // A job's events are a server-sent event stream that stays open: its headers are the answer.
            body = contentType?.MediaType == "text/event-stream" ? string.Empty : await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException e) when (KestrelRefusesTheRequestLine(request) && e.InnerException is IOException)
        {
            // Kestrel answered 400 and closed the connection while the client was still sending a large body: the
            // client sees the send fail, not the answer. The application never saw the request (counted as below).
            tally.AddOrUpdate($"{request.Api.ToString().ToLowerInvariant()} {nation} 400k", 1, (_, n) => n + 1);
            return;
        }
        catch (HttpRequestException e)
        {
            Violate(index, request, $"no answer: {e.Message}");
            return;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Violate(index, request, "no answer within 60 s");
            return;
        }

        // Kestrel refuses a request line it cannot parse (a NUL in the path, a URI over its 8 KiB
        // limit) before any middleware runs: an empty answer that closes the connection. It is counted
        // apart, as "kestrel", because the application never saw the request.
        var refusedByServer = status is 400 or 414 or 431 && body.Length == 0 && contentType is null && closed;
        var code = status.ToString(CultureInfo.InvariantCulture) + (refusedByServer ? "k" : string.Empty);
        tally.AddOrUpdate($"{request.Api.ToString().ToLowerInvariant()} {nation} {code}", 1, (_, n) => n + 1);
        if (refusedByServer)
        {
            return;
        }

        if (status >= 500)
        {
            Violate(index, request, $"answered {status}: {Cut(body)}");
        }
        else if (status >= 400)
        {
            CheckProblem(index, request, status, contentType, body);
        }
        else if (status is >= 200 and < 300 && request.Api == FuzzApi.User)
        {
            Remember(request);
        }
    }

    /// <summary>Whether Kestrel refuses <paramref name="request"/>'s request line before any middleware runs: a NUL in its path.</summary>
    private static bool KestrelRefusesTheRequestLine(FuzzRequest request) =>
        request.PathAndQuery.Split('?')[0].Contains("%00", StringComparison.Ordinal);

    private void CheckProblem(int index, FuzzRequest request, int status, MediaTypeHeaderValue? contentType, string body)
    {
        if (contentType?.MediaType != "application/problem+json")
        {
            Violate(index, request, $"answered {status} as {contentType?.MediaType ?? "no content type"}, not application/problem+json: {Cut(body)}");
            return;
        }

        try
        {
            if (JsonNode.Parse(body) is not JsonObject problem || problem["title"] is null && problem["status"] is null)
            {
                Violate(index, request, $"answered {status} with a problem+json body that is not a problem: {Cut(body)}");
            }
        }
        catch (JsonException e)
        {
            Violate(index, request, $"answered {status} with a problem+json body that does not parse ({e.Message}): {Cut(body)}");
        }
    }

    private void Remember(FuzzRequest request)
    {
        foreach (Match token in PoolToken().Matches(request.PathAndQuery + " " + request.Body))
        {
            AcknowledgedTokens.Add(token.Value);
        }

        if (request.Entity is { } entity)
        {
            if (request.Method == "DELETE")
            {
                Present.Remove((entity.Listing, entity.Key));
            }
            else if (entity.Creates)
            {
                Present.Add((entity.Listing, entity.Key));
            }
        }
    }

    private async Task CheckReadyAndRssAsync(int index, CancellationToken cancellationToken)
    {
        using var ready = await user.GetAsync("/health/ready", cancellationToken);
        if ((int)ready.StatusCode != 200)
        {
            Violations.Add($"seed {seed}, {nation} after request #{index}: /health/ready answered {(int)ready.StatusCode}, expected 200: {Cut(await ready.Content.ReadAsStringAsync(cancellationToken))}");
        }

        if (index < WarmUp)
        {
            return;
        }

        var rss = ReadRssKiB();
        Rss = (Rss.WarmUp, Math.Max(Rss.Peak, rss));
        if (rss > Rss.WarmUp + RssAllowanceKiB)
        {
            Violations.Add($"seed {seed}, {nation} after request #{index}: silo RSS {rss / 1024} MiB, over its warm-up RSS {Rss.WarmUp / 1024} MiB + 256 MiB");
        }
    }

    private long ReadRssKiB()
    {
        // VmRSS of the silo process itself (the launcher's pid is the dotnet process it exec'd).
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"/proc/{pid}/status has no VmRSS: is the silo of {nation} still running?");
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private string RequestId(int index)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, seed);
        BitConverter.TryWriteBytes(bytes[8..], ((long)stream << 32) | (uint)index);
        return new Guid(bytes).ToString("D");
    }

    private void Violate(int index, FuzzRequest request, string what) =>
        Violations.Add($"seed {seed} (replay: FEDERATION_FUZZ_SEED={seed}), {nation} request #{index}: {what}\n    request: {request}");

    private static string Cut(string text) => text.Length > 400 ? text[..400] + "..." : text;

    /// <summary>The ids of the fuzz pools, valid (<c>fz-ds-3</c>) and mutated (<c>fz-mds-3</c>).</summary>
    [GeneratedRegex("fz-m?(?:ds|node|model|job)-[0-9]+")]
    public static partial Regex PoolToken();
}
