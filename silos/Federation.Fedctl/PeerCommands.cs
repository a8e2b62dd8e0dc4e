using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Jobs;
using Federation.Fedctl.Output;

namespace Federation.Fedctl;

/// <summary><c>fedctl peers [show CODE]</c>: the other nations as this nation sees them (GET /api/v1/peers).</summary>
public static class PeerCommands
{
    /// <summary>The columns of <c>peers</c>.</summary>
    public static IReadOnlyList<string> Headers { get; } = ["nation", "health", "last advert", "accelerators free/total", "gco2e/kwh", "pue"];

    /// <summary>The columns <c>-o wide</c> adds.</summary>
    public static IReadOnlyList<string> WideHeaders { get; } = ["zone", "queue", "workloads", "rtt_ms", "failures", "advert at", "reason"];

    /// <summary>The <c>peers</c> command.</summary>
    public static Command Build(FedctlContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var peers = new Command("peers", "List the peer nations as this nation sees them: health, age of their last capability advert, free/total accelerators, grid carbon intensity and PUE.");
        peers.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var list = await ListAsync(api, ct);
            var format = context.Format(parse);
            if (format == OutputFormat.Json)
            {
                context.WriteJson(list);
                return ExitCodes.Ok;
            }

            var now = DateTimeOffset.UtcNow;
            var wide = format == OutputFormat.Wide;
            TableWriter.Write(
                output,
                wide ? [.. Headers, .. WideHeaders] : Headers,
                list.OfType<JsonObject>().Select(p => (IReadOnlyList<string>)(wide ? [.. Row(p, now), .. WideRow(p)] : Row(p, now))),
                maxCellWidth: wide ? int.MaxValue : 48);
            if (list.Count == 0)
            {
                context.Error.WriteLine("no peers: this nation's roster names no other nation");
            }

            return ExitCodes.Ok;
        }, ct));

        var code = new Argument<string>("nation") { Description = "the peer's nation code, such as SE" };
        var show = new Command("show", "Show one peer in full: health and why, its last advert (accelerators, grid, PUE, workloads, versions), the link (last contact, round trip, failures, circuit breaker).") { code };
        show.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var wanted = parse.GetValue(code)!;
            var list = await ListAsync(api, ct);
            var peer = list.OfType<JsonObject>().FirstOrDefault(p => string.Equals(JobText.Text(p["nation"]), wanted, StringComparison.OrdinalIgnoreCase))
                ?? throw new FedctlException(
                    $"not found: {wanted} is not a peer of the nation at {api.BaseAddress} (its peers: {(list.Count == 0 ? "none" : string.Join(", ", list.Select(p => JobText.Text(p?["nation"]))))})",
                    ExitCodes.NotFound);
            if (context.Json(parse))
            {
                context.WriteJson(peer);
                return ExitCodes.Ok;
            }

            DetailView.WritePairs(output, [("last advert age", Timestamp.Age(peer["lastAdvertAt"], DateTimeOffset.UtcNow))]);
            DetailView.Write(output, peer);
            return ExitCodes.Ok;
        }, ct));
        peers.Subcommands.Add(show);
        return peers;
    }

    private static async Task<JsonArray> ListAsync(ApiClient api, CancellationToken ct) =>
        (await api.SendAsync(HttpMethod.Get, "api/v1/peers", cancellationToken: ct)).Body as JsonArray
        ?? throw new FedctlException($"the silo at {api.BaseAddress} answered GET /api/v1/peers without a JSON list", ExitCodes.WrongEndpoint);

    private static string[] Row(JsonObject peer, DateTimeOffset now)
    {
        var advert = peer["lastAdvert"] as JsonObject;
        return
        [
            JobText.Text(peer["nation"]),
            JobText.OrDash(peer["health"]),
            Timestamp.Age(peer["lastAdvertAt"], now),
            Accelerators(advert),
            advert?["gridIntensityGco2PerKwh"] is { } intensity ? JobText.Number(intensity.GetValue<double>(), "0.#") : "-",
            advert?["pue"] is { } pue ? JobText.Number(pue.GetValue<double>(), "0.00") : "-",
        ];
    }

    private static string[] WideRow(JsonObject peer)
    {
        var advert = peer["lastAdvert"] as JsonObject;
        var workloads = advert?["workloads"]?.AsArray().OfType<JsonObject>().Select(w => $"{JobText.Text(w["name"])}@{JobText.Text(w["version"])}").ToList() ?? [];
        var reason = JobText.Text(peer["lastError"]) is { Length: > 0 } error && JobText.Text(peer["health"]) != "reachable"
            ? $"{JobText.Text(peer["healthReason"])}; last error: {error}"
            : JobText.Text(peer["healthReason"]);
        return
        [
            JobText.OrDash(advert?["gridZone"]),
            JobText.OrDash(advert?["queueDepth"]),
            workloads.Count == 0 ? "-" : string.Join(",", workloads),
            peer["roundTripMs"] is JsonValue rtt && rtt.TryGetValue<double>(out var ms) ? ms.ToString("0.#", CultureInfo.InvariantCulture) : "-",
            JobText.OrDash(peer["consecutiveFailures"]),
            Timestamp.Format(peer["lastAdvertAt"]),
            reason.Length == 0 ? "-" : reason,
        ];
    }

    /// <summary><c>6/8 (h100-sxm 4/4, a100-80gb-sxm 2/4)</c>: free and total over every model, then per model.</summary>
    private static string Accelerators(JsonObject? advert)
    {
        var models = advert?["accelerators"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        if (models.Count == 0)
        {
            return advert is null ? "-" : "0/0";
        }

        int Count(JsonNode? n) => n is JsonValue v && v.TryGetValue<int>(out var i) ? i : 0;
        var free = models.Sum(m => Count(m["free"]));
        var total = models.Sum(m => Count(m["total"]));
        return $"{free}/{total} ({string.Join(", ", models.Select(m => $"{JobText.Text(m["slug"])} {Count(m["free"])}/{Count(m["total"])}"))})";
    }
}
