using Federation.Postgres.Tests.Fixtures;
using Federation.Protocol;
using Federation.Protocol.Roster;
using Federation.Silo.Governance;
using Npgsql;

namespace Federation.Postgres.Tests.Roster;

/// <summary>Applied roster versions kept in PostgreSQL (migration 0009): read back in order, byte for byte as signed.</summary>
public sealed class PostgresRosterVersionStoreTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SaveThenLoad_TwoVersions_InOrderWithDigestsAndSignaturesIntact()
    {
        await using (var truncate = database.DataSource.CreateCommand("TRUNCATE roster_version"))
        {
            await truncate.ExecuteNonQueryAsync(Ct);
        }

        using var fr = NationCertificates.Create("FR");
        using var de = NationCertificates.Create("DE");
        using var se = NationCertificates.Create("SE");
        var v1 = SignedRoster.Bootstrap(new RosterDocument([Entry("FR", fr), Entry("DE", de)]));
        var v2 = RosterRules.Propose(v1, [.. v1.Nations, Entry("SE", se) with { GridZone = "SE" }], quorum: 2);
        v2 = v2 with { Signatures = [RosterSigning.Sign(v2, "FR", fr), RosterSigning.Sign(v2, "DE", de)] };
        var v3 = RosterRules.Propose(v2, [.. v2.Nations.Where(n => n.Code != "DE")]);
        var at = new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
        var store = new PostgresRosterVersionStore(database.DataSource);

        await store.SaveAsync(new AppliedRosterVersion(v2, at), Ct);
        await store.SaveAsync(new AppliedRosterVersion(v3, at.AddHours(1)), Ct);
        var loaded = await store.LoadAsync(Ct);

        Assert.Equal([2L, 3L], loaded.Select(l => l.Roster.Version));
        Assert.Equal(RosterSigning.Digest(v2), RosterSigning.Digest(loaded[0].Roster));
        Assert.Equal(RosterSigning.Digest(v3), RosterSigning.Digest(loaded[1].Roster));
        Assert.Equal(at, loaded[0].AppliedAt);
        Assert.True(RosterRules.Check(v1, loaded[0].Roster, at).Accepted);
        await Assert.ThrowsAsync<PostgresException>(() => store.SaveAsync(new AppliedRosterVersion(v2, at), Ct));
    }

    private static RosterEntry Entry(string code, System.Security.Cryptography.X509Certificates.X509Certificate2 key) =>
        new(code, code, $"https://{code.ToLowerInvariant()}.example:7443", ["1"], [SpkiPin.Compute(key)]);
}
