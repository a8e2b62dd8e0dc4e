using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Silo.Transparency;
using Federation.Testing;
using Federation.Transparency;
using Federation.Transparency.Peers;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Fedctl.Tests;

/// <summary>
/// Two PostgreSQL nations: DE keeps FR's signed heads. FR rewrites an entry of its log after DE saw
/// a head (the row and its leaf hash edited with the triggers off, then a new head signed with FR's
/// real key over the rewritten log); DE's consistency check flags it, keeps both heads, and
/// <c>fedctl audit peers</c> and <c>/api/v1/audit/peers</c> show the evidence.
/// </summary>
public sealed class PeerAuditCliTests : IAsyncLifetime
{
    private PostgresTestDatabase _frDatabase = null!;
    private PostgresTestDatabase _deDatabase = null!;
    private SiloUnderTest _fr = null!;
    private SiloUnderTest _de = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> Quiet(string code) => new()
    {
        ["Federation:Nation:Code"] = code,
        ["Federation:Transparency:HeadInterval"] = "01:00:00",
        ["Federation:Transparency:PeerCheckInterval"] = "01:00:00",
    };

    public async ValueTask InitializeAsync()
    {
        _frDatabase = await PostgresTestDatabase.CreateAsync("peer-heads-fr");
        _deDatabase = await PostgresTestDatabase.CreateAsync("peer-heads-de");
        _fr = await SiloUnderTest.StartConfiguredAsync(_frDatabase.ConnectionString, Quiet("FR"));
        _de = await SiloUnderTest.StartConfiguredAsync(_deDatabase.ConnectionString, Quiet("DE"));
    }

    public async ValueTask DisposeAsync()
    {
        await _de.DisposeAsync();
        await _fr.DisposeAsync();
        await _deDatabase.DisposeAsync();
        await _frDatabase.DisposeAsync();
    }

    private Dictionary<string, string?> DeEnvironment()
    {
        var environment = FedctlRun.CleanEnvironment();
        environment["FEDCTL_URL"] = _de.BaseAddress.ToString();
        environment["FEDCTL_TOKEN"] = SiloUnderTest.AdminToken;
        return environment;
    }

    private async Task RecordAsync(int first, int count)
    {
        var recorder = _fr.Services.GetRequiredService<TransparencyRecorder>();
        for (var i = first; i < first + count; i++)
        {
            Assert.NotNull(await recorder.RecordAsync(TransparencyEntryKind.Admission, job: $"DE/job-{i}", peer: "DE", cancellationToken: Ct));
        }
    }

    // DE's check of FR, with FR's log read in-process (the federation API path is covered by the two-nation tests).
    private Task<PeerHeadCheck> DeChecksFrAsync() =>
        new PeerHeadMonitor(new LocalPeerLogSource(_fr.Services.GetRequiredService<ITransparencyLog>()), _de.Services.GetRequiredService<IPeerHeadStore>(), TimeProvider.System)
            .CheckAsync("FR", [_fr.Services.GetRequiredService<TreeHeadSigner>().Pin], Ct);

    [Fact]
    public async Task AuditPeers_FrRewroteItsLogAfterDeSawAHead_FlaggedWithBothHeads_ExitsNonZero()
    {
        await RecordAsync(0, 5);
        var seen = await _fr.Services.GetRequiredService<TreeHeadPublisher>().PublishAsync(Ct);
        Assert.Equal(PeerHeadStatus.Consistent, (await DeChecksFrAsync()).Status);

        var (exit, output, error) = await FedctlRun.RunAsync(DeEnvironment(), "audit", "peers");
        Assert.True(exit == 0, error);
        Assert.Contains("consistent", output, StringComparison.Ordinal);

        // FR edits entry 2 and its leaf hash, appends more, and signs a new head over the rewritten log
        // (a restarted publisher that reads the leaves again).
        await _frDatabase.ExecuteAsync("""
            ALTER TABLE transparency_entry DISABLE TRIGGER USER;
            UPDATE transparency_entry SET entry = convert_to(replace(convert_from(entry, 'UTF8'), 'DE/job-2', 'DE/job-X'), 'UTF8') WHERE idx = 2;
            UPDATE transparency_entry SET leaf_hash = sha256('\x00'::bytea || entry) WHERE idx = 2;
            ALTER TABLE transparency_entry ENABLE TRIGGER USER
            """);
        await RecordAsync(5, 3);
        var rewritten = await ActivatorUtilities.CreateInstance<TreeHeadPublisher>(_fr.Services).PublishAsync(Ct);
        Assert.Equal(8, rewritten!.Head.Size);

        var check = await DeChecksFrAsync();
        Assert.Equal(PeerHeadStatus.Inconsistent, check.Status);

        (exit, output, error) = await FedctlRun.RunAsync(DeEnvironment(), "audit", "peers");
        Assert.Equal(1, exit);
        Assert.Contains("inconsistent", output, StringComparison.Ordinal);
        Assert.Contains("FLAGGED: FR inconsistent: the head of size 8", error, StringComparison.Ordinal);
        Assert.Contains($"kept:      size 5 root {seen!.Head.RootHex}", error, StringComparison.Ordinal);
        Assert.Contains($"offending: size 8 root {rewritten.Head.RootHex}", error, StringComparison.Ordinal);

        var peers = await _de.Client.GetFromJsonAsync<JsonArray>("/api/v1/audit/peers", Ct);
        var fr = peers!.OfType<JsonObject>().Single(p => p["nation"]!.GetValue<string>() == "FR");
        Assert.Equal("inconsistent", fr["status"]!.GetValue<string>());
        Assert.Equal(5, fr["latest"]!["treeSize"]!.GetValue<long>());
        Assert.Equal(5, fr["evidence"]!["kept"]!["treeSize"]!.GetValue<long>());
        Assert.Equal(8, fr["evidence"]!["offending"]!["treeSize"]!.GetValue<long>());
        Assert.Equal(rewritten.Signature, fr["evidence"]!["offending"]!["signature"]!.GetValue<string>());

        // Both heads are kept in DE's database, the evidence once however often it is found.
        await DeChecksFrAsync();
        Assert.Equal(1, await _deDatabase.ScalarAsync("SELECT count(*) FROM peer_head WHERE peer = 'FR'"));
        Assert.Equal(1, await _deDatabase.ScalarAsync("SELECT count(*) FROM peer_head_flag WHERE peer = 'FR' AND kept_size = 5 AND offending_size = 8"));
    }

    [Fact]
    public async Task AuditPeers_NothingFetchedYet_EmptyAndExitsZero()
    {
        var (exit, output, error) = await FedctlRun.RunAsync(DeEnvironment(), "audit", "peers");

        Assert.True(exit == 0, error);
        Assert.StartsWith("NATION  STATUS", output, StringComparison.Ordinal);
        Assert.DoesNotContain("FLAGGED", error, StringComparison.Ordinal);
        using var response = await _de.Client.GetAsync("/api/v1/audit/peers", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await response.Content.ReadFromJsonAsync<JsonArray>(Ct))!);
    }
}
