using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Federation.Testing;
using Npgsql;

namespace Federation.Fuzz.Tests;

/// <summary>
/// The fuzz suite: <see cref="TestProfile"/>-sized (10,000 requests in CI, 100,000 in full) generated
/// and mutated requests over the user API and the federation API (mutual TLS, a rostered certificate)
/// of a PostgreSQL nation and an embedded nation, half each. No answer may be 5xx, every 4xx is
/// problem+json, readiness holds, RSS stays bounded, and what is stored agrees with what was acknowledged.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class FuzzTests(FuzzNations nations) : IClassFixture<FuzzNations>
{
    /// <summary>The variable that replays a run: its seed.</summary>
    public const string SeedVariable = "FEDERATION_FUZZ_SEED";

    private static readonly string[] s_listings = ["datasets", "nodes", "models", "jobs"];

    [Fact]
    public async Task Nations_GeneratedAndMutatedRequests_No5xxProblemsFor4xxReadyBoundedRssAndOnlyAcknowledgedStored()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var seed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } replay
            ? ulong.Parse(replay, CultureInfo.InvariantCulture)
            : (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        var total = TestProfile.Pick(10_000, 100_000);
        Console.WriteLine($"fuzz: seed {seed} ({SeedVariable}={seed} replays it), {total:N0} requests");
        TestContext.Current.TestOutputHelper?.WriteLine($"fuzz: seed {seed} ({SeedVariable}={seed} replays it), {total:N0} requests");

        var user = OpenApiGenerators.Load("user-v1.json");
        var federation = OpenApiGenerators.Load("federation-v1.json");
        var tally = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var runs = new[] { (FuzzNations.Postgres, FuzzNations.Embedded, 0u), (FuzzNations.Embedded, FuzzNations.Postgres, 1u) }
            .Select(n => (Target: n.Item1, Run: new FuzzRun(
                n.Item1,
                n.Item3,
                seed,
                new RequestGenerators(n.Item1, n.Item2, user, federation).Request,
                nations.UserClient(n.Item1),
                nations.FederationClient(n.Item2, n.Item1),
                nations.Nation(n.Item1).Pid,
                tally)))
            .ToList();

        // The two nations are fuzzed at once, each by its own ordered stream.
        var started = DateTime.UtcNow;
        await Task.WhenAll(runs.Select(r => r.Run.RunAsync(total / runs.Count, cancellationToken)));
        var elapsed = DateTime.UtcNow - started;

        var violations = runs.SelectMany(r => r.Run.Violations.Take(12)).ToList();
        foreach (var (target, run) in runs)
        {
            violations.AddRange((await StoredAgreesAsync(target, run, cancellationToken)).Take(12).Select(v => $"seed {seed}, {target}: {v}"));
        }

        var summary = Summary(seed, tally, runs.Select(r => (r.Target, r.Run)).ToList(), elapsed);
        Console.WriteLine(summary);
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Assert.True(violations.Count == 0, $"{summary}\n{violations.Count} violation(s); replay with {SeedVariable}={seed}:\n{string.Join("\n", violations)}");
    }

    private async Task<List<string>> StoredAgreesAsync(string nation, FuzzRun run, CancellationToken cancellationToken)
    {
        // The listings may trail the grains by a moment: poll until they agree or the deadline passes.
        var client = nations.UserClient(nation);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var problems = new List<string>();
            var listed = new HashSet<(string Listing, string Key)>();
            foreach (var listing in s_listings)
            {
                foreach (var item in await ListAsync(client, listing, cancellationToken))
                {
                    var key = Key(listing, item);
                    if (key is null)
                    {
                        continue;
                    }

                    // Every key listed counts against what was acknowledged: a mutated request may
                    // create an entry outside the fuzz pools (a node named "1").
                    listed.Add((listing, key));
                    if (!FuzzRun.PoolToken().IsMatch(key))
                    {
                        continue;
                    }

                    if (!run.AcknowledgedTokens.Contains(FuzzRun.PoolToken().Match(key).Value))
                    {
                        problems.Add($"{listing} lists {key}, which no acknowledged (2xx) request named");
                    }

                    if (item.ToJsonString().Any(char.IsControl) || Strings(item).Any(s => s.Any(char.IsControl)))
                    {
                        problems.Add($"{listing} entry {key} holds a control character: {item.ToJsonString()[..Math.Min(300, item.ToJsonString().Length)]}");
                    }
                }
            }

            problems.AddRange(run.Present.Where(p => !listed.Contains(p)).Select(p => $"{p.Listing} does not list {p.Key}, which the API acknowledged creating (2xx)"));
            if (nation == FuzzNations.Postgres)
            {
                problems.AddRange(await ReadModelAgreesAsync(listed, cancellationToken));
            }

            if (problems.Count == 0 || DateTime.UtcNow > deadline)
            {
                return problems;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private async Task<List<string>> ReadModelAgreesAsync(HashSet<(string Listing, string Key)> listed, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        await using var connection = new NpgsqlConnection(nations.Database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var tables = new[]
        {
            ("datasets", "SELECT key FROM catalogue_datasets WHERE status <> 'deleted'"),
            ("nodes", "SELECT key FROM catalogue_nodes WHERE status <> 'deleted'"),
            ("models", "SELECT key FROM catalogue_models WHERE status <> 'deleted'"),
            ("jobs", "SELECT id FROM job"),
        };
        foreach (var (listing, sql) in tables)
        {
            var rows = new HashSet<string>(StringComparer.Ordinal);
            await using (var command = new NpgsqlCommand(sql, connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add(reader.GetString(0));
                }
            }

            var pool = rows.Where(r => FuzzRun.PoolToken().IsMatch(r)).ToHashSet(StringComparer.Ordinal);
            var api = listed.Where(l => l.Listing == listing && FuzzRun.PoolToken().IsMatch(l.Key)).Select(l => l.Key).ToHashSet(StringComparer.Ordinal);
            problems.AddRange(pool.Except(api).Select(k => $"the read model's {listing} holds {k}, which the API does not list"));
            problems.AddRange(api.Except(pool).Select(k => $"the API lists {listing} {k}, which the read model does not hold"));
        }

        await using (var command = new NpgsqlCommand("SELECT kind || ' ' || key || ': ' || reason FROM read_model_dead_letter", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                problems.Add($"an acknowledged write was dead-lettered by the read model: {reader.GetString(0)}");
            }
        }

        return problems;
    }

    private static async Task<List<JsonObject>> ListAsync(HttpClient client, string listing, CancellationToken cancellationToken)
    {
        var items = new List<JsonObject>();
        string? after = null;
        do
        {
            var withdrawn = listing is "datasets" or "models" ? "&includeWithdrawn=true" : string.Empty;
            var page = after is null ? string.Empty : $"&after={Uri.EscapeDataString(after)}";
            using var response = await client.GetAsync($"/api/v1/{listing}?limit=100{withdrawn}{page}", cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            Assert.True(response.IsSuccessStatusCode, $"listing {listing} answered {(int)response.StatusCode}: {text}");
            var json = JsonNode.Parse(text)!.AsObject();
            items.AddRange(json["items"]!.AsArray().OfType<JsonObject>());
            after = json["nextAfter"]?.GetValue<string>();
        }
        while (after is not null);
        return items;
    }

    private static string? Key(string listing, JsonObject item) => listing switch
    {
        "jobs" => item["ref"]?.GetValue<string>(),
        "models" => item["spec"]?["ref"]?.GetValue<string>(),
        _ => item["spec"]?["id"]?.GetValue<string>(),
    };

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value).Append(p.Key)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    private static string Summary(ulong seed, ConcurrentDictionary<string, int> tally, List<(string Target, FuzzRun Run)> runs, TimeSpan elapsed)
    {
        int Count(Func<string[], bool> where) => tally.Where(t => where(t.Key.Split(' '))).Sum(t => t.Value);
        var total = Count(_ => true);
        var byStatus = tally.GroupBy(t => t.Key.Split(' ')[2]).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Sum(t => t.Value):N0}");
        var by = tally.GroupBy(t => string.Join(' ', t.Key.Split(' ')[..2])).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}: " + string.Join(", ", g.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key.Split(' ')[2]}={t.Value:N0}")));
        var fives = Count(k => k[2].StartsWith('5'));
        var kestrel = Count(k => k[2].EndsWith('k'));
        var rss = string.Join(", ", runs.Select(r => $"{r.Target} RSS {r.Run.Rss.WarmUp / 1024} -> peak {r.Run.Rss.Peak / 1024} MiB"));
        var ci = CultureInfo.InvariantCulture;
        var head = string.Create(ci, $"fuzz: {total:N0} requests (user {Count(k => k[0] == "user"):N0} / federation {Count(k => k[0] == "federation"):N0}; ");
        var nations = string.Create(ci, $"embedded {Count(k => k[1] == FuzzNations.Embedded):N0} / postgres {Count(k => k[1] == FuzzNations.Postgres):N0}), seed {seed}: ");
        var tail = string.Create(ci, $"{string.Join(", ", byStatus)}, {fives} 5xx ({kestrel} refused by Kestrel before the API, marked k), {elapsed.TotalSeconds:0} s; {rss}");
        return head + nations + tail + "\n  " + string.Join("\n  ", by);
    }
}
