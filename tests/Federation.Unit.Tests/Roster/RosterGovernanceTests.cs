using System.Security.Cryptography.X509Certificates;
using Federation.Contracts.Ids;
using Federation.Grains.Nations;
using Federation.Protocol;
using Federation.Protocol.Roster;
using Federation.Silo.Governance;
using Federation.Silo.Peering;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Unit.Tests.Roster;

/// <summary>
/// A nation applying roster versions over its roster file, on fake time: refusals keep the roster in
/// force and are visible, an applied version takes precedence over the file and survives a restart,
/// a kept chain that was tampered with is not restored, and a retired pin is refused after its end.
/// </summary>
public sealed class RosterGovernanceTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("roster-governance-");
    private readonly Dictionary<string, X509Certificate2> _keys = new(StringComparer.Ordinal)
    {
        ["FR"] = NationCertificates.Create("FR"),
        ["DE"] = NationCertificates.Create("DE"),
        ["SE"] = NationCertificates.Create("SE"),
    };

    private readonly MemoryRosterVersionStore _kept = new();
    private readonly List<IDisposable> _started = [];

    public RosterGovernanceTests() =>
        File.WriteAllText(RosterPath, new RosterDocument([Entry("FR"), Entry("DE"), Entry("SE")]).ToJson());

    private string RosterPath => Path.Combine(_directory.FullName, "roster.json");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (var started in _started)
        {
            started.Dispose();
        }

        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }

        _directory.Delete(recursive: true);
    }

    private RosterEntry Entry(string code) => new(code, code, $"https://{code.ToLowerInvariant()}.example:7443", ["1"], [SpkiPin.Compute(_keys[code])]);

    private (RosterStore Store, RosterGovernance Governance) Start()
    {
        var store = new RosterStore(Microsoft.Extensions.Options.Options.Create(new PeeringOptions { RosterPath = RosterPath }), _time, NullLogger<RosterStore>.Instance);
        Assert.True(NationCode.TryParse("FR", out var fr, out _));
        var governance = new RosterGovernance(store, _kept, new LocalNation(fr), _time, NullLogger<RosterGovernance>.Instance);
        _started.Add(store);
        _started.Add(governance);
        return (store, governance);
    }

    private SignedRoster Signed(SignedRoster proposal, params string[] nations) =>
        proposal with { Signatures = [.. nations.Select(n => RosterSigning.Sign(proposal, n, _keys[n]))] };

    [Fact]
    public async Task Submit_FewerThanQuorum_RefusedRosterKeptAndRefusalVisible()
    {
        var (store, governance) = Start();
        var proposal = RosterRules.Propose(store.Current, [Entry("FR"), Entry("DE")]);

        var submission = await governance.SubmitAsync(Signed(proposal, "FR"), "DE", Ct);

        Assert.Equal(RosterOutcome.Refused, submission.Outcome);
        Assert.Equal(1, governance.Status.Version);
        Assert.Equal("file", governance.Status.Source);
        Assert.NotNull(store.Find("SE"));
        var refusal = governance.Status.LastRefusal!;
        Assert.Equal(("DE", 2L), (refusal.Source, refusal.Version));
        Assert.Contains("the quorum is 2", refusal.Reason, StringComparison.Ordinal);
        Assert.Empty(await _kept.LoadAsync(Ct));
    }

    [Fact]
    public async Task Submit_Quorum_AppliedKeptAndPrecedesTheFileAcrossARestart()
    {
        var (store, governance) = Start();
        {
            var version = Signed(RosterRules.Propose(store.Current, [Entry("FR"), Entry("DE")]), "FR", "SE");

            Assert.Equal(RosterOutcome.Applied, (await governance.SubmitAsync(version, RosterGovernance.LocalSource, Ct)).Outcome);
            Assert.Equal(RosterOutcome.AlreadyInForce, (await governance.SubmitAsync(version, "DE", Ct)).Outcome);
            Assert.Null(store.Find("SE"));
            Assert.Null(store.FindByPin(SpkiPin.Compute(_keys["SE"])));
            Assert.Equal("signed", governance.Status.Source);
        }

        var (restarted, again) = Start();
        {
            Assert.NotNull(restarted.Find("SE"));
            await again.StartAsync(Ct);
            Assert.Equal(2, again.Status.Version);
            Assert.Null(restarted.Find("SE"));
            Assert.Null(again.Status.LastRefusal);
        }
    }

    [Fact]
    public async Task Start_KeptVersionTamperedWith_NotRestoredAndSaid()
    {
        var (store, governance) = Start();
        var version = Signed(RosterRules.Propose(store.Current, [Entry("FR"), Entry("DE")]), "FR", "SE");
        await _kept.SaveAsync(new AppliedRosterVersion(version with { Nations = [Entry("FR"), Entry("DE") with { Name = "Mallory" }] }, _time.GetUtcNow()), Ct);

        await governance.StartAsync(Ct);

        Assert.Equal(1, governance.Status.Version);
        Assert.NotNull(store.Find("SE"));
        Assert.Equal("store", governance.Status.LastRefusal!.Source);
        Assert.Contains("does not match this version", governance.Status.LastRefusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindByPin_KeyRotated_OldPinAcceptedUntilItsEndThenRefused()
    {
        var (store, governance) = Start();
        using var fresh = NationCertificates.Create("DE");
        var oldPin = SpkiPin.Compute(_keys["DE"]);
        var rotated = RosterRules.RotateKey(Entry("DE"), SpkiPin.Compute(fresh), _time.GetUtcNow(), TimeSpan.FromDays(7));
        var version = Signed(RosterRules.Propose(store.Current, [Entry("FR"), rotated, Entry("SE")]), "DE", "SE");
        Assert.Equal(RosterOutcome.Applied, (await governance.SubmitAsync(version, "DE", Ct)).Outcome);

        Assert.Equal("DE", store.FindByPin(oldPin)?.Code);
        Assert.Equal("DE", store.FindByPin(SpkiPin.Compute(fresh))?.Code);
        _time.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.True(store.AcceptsPin("DE", oldPin));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(store.FindByPin(oldPin));
        Assert.False(store.AcceptsPin("DE", oldPin));
        Assert.Equal("DE", store.FindByPin(SpkiPin.Compute(fresh))?.Code);
    }
}
