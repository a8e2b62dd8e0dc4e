using System.Net;
using System.Text.Json.Nodes;
using Federation.Protocol;
using Federation.Testing;

namespace Federation.Fedctl.Tests;

/// <summary>
/// <c>fedctl roster</c> and <c>fedctl federation join</c> against four in-process nations: NL's join
/// checks the members' pins (a forged roster is refused naming the members) and prints its entry; a
/// version adding it signed by fewer than the quorum is refused by every member; a properly signed one
/// adds NL, the members then hear from it, and NL's log records its join; a key rotation keeps the old
/// key valid for its grace period.
/// </summary>
public sealed class RosterCliTests : IAsyncLifetime
{
    private static readonly TimeSpan s_spread = TimeSpan.FromSeconds(30);

    private GovernedNations _nations = null!;

    public async ValueTask InitializeAsync() => _nations = await GovernedNations.StartAsync();

    public async ValueTask DisposeAsync() => await _nations.DisposeAsync();

    private Task<(int Exit, string Output, string Error)> Fedctl(string nation, params string[] args) => FedctlRun.RunAsync(_nations.Environment(nation), args);

    private async Task<JsonObject> StatusAsync(string nation)
    {
        var (exit, output, error) = await Fedctl(nation, "roster", "status", "-o", "json");
        Assert.True(exit == 0, $"{nation}: roster status: exit {exit}: {output} {error}");
        return JsonNode.Parse(output)!.AsObject();
    }

    [Fact]
    public async Task Roster_JoinCheckedAgainstPins_SignedByFewerThanQuorumThenByQuorum_RefusedByEveryMemberThenNlIsHeardFrom_NlLogsItsJoin()
    {
        var proposal = Path.Combine(_nations.Directory, "join-nl.json");
        Assert.Null(await _nations.HelloAsync("NL", "FR"));

        // NL checks the members of the version a member gave it against their endpoints, and prints its
        // entry; through a roster whose pins its members' endpoints do not present, it refuses.
        await JoinThroughForgedRosterRefusedAsync();
        var entry = await JoinAsync();
        var (exit, output, error) = await Fedctl("FR", "roster", "propose", "--add", entry, "--out", proposal);
        Assert.True(exit == 0, $"propose: exit {exit}: {output} {error}");
        Assert.Contains("needs 2 signatures of members of version 1", error, StringComparison.Ordinal);
        (exit, output, error) = await Fedctl("FR", "roster", "sign", proposal, "--nation", "FR", "--certificate", _nations.KeyPath("FR"));
        Assert.True(exit == 0, $"sign FR: exit {exit}: {output} {error}");
        (exit, output, error) = await Fedctl("FR", "roster", "sign", proposal, "--nation", "NL", "--certificate", _nations.KeyPath("NL"));
        Assert.True(exit == 0, $"sign NL: exit {exit}: {output} {error}");

        foreach (var member in GovernedNations.Members)
        {
            (exit, output, error) = await Fedctl(member, "roster", "submit", proposal);
            Assert.True(exit == ExitCodes.Conflict, $"{member}: submit with FR's signature only: exit {exit}: {output} {error}");
            Assert.Contains("1 valid signature(s) of members of version 1 (FR); the quorum is 2", error, StringComparison.Ordinal);
            Assert.Contains("NL is not a member of version 1", error, StringComparison.Ordinal);
            var status = await StatusAsync(member);
            Assert.Equal(1, status["version"]!.GetValue<long>());
            Assert.Equal(2, status["lastRefusal"]!["version"]!.GetValue<long>());
            Assert.Null(_nations.Roster(member).Find("NL"));
        }

        Assert.Null(await _nations.HelloAsync("NL", "DE"));

        (exit, output, error) = await Fedctl("DE", "roster", "sign", proposal, "--nation", "DE", "--certificate", _nations.KeyPath("DE"));
        Assert.True(exit == 0, $"sign DE: exit {exit}: {output} {error}");
        (exit, output, error) = await Fedctl("SE", "roster", "submit", proposal);
        Assert.True(exit == 0, $"submit with FR and DE: exit {exit}: {output} {error}");
        Assert.Contains("roster version 2 is in force", output, StringComparison.Ordinal);

        foreach (var nation in GovernedNations.Members.Append("NL"))
        {
            var status = await Eventually.WaitAsync(() => StatusAsync(nation), s => s["version"]!.GetValue<long>() == 2, s_spread, $"{nation} applies roster version 2");
            Assert.Equal("signed", status["source"]!.GetValue<string>());
        }

        // NL's own log says it joined, by the version that added it.
        using (var nl = new HttpClient { BaseAddress = new Uri(_nations.Environment("NL")["FEDCTL_URL"]!) })
        {
            var entries = await Eventually.WaitAsync(
                async () => JsonNode.Parse(await nl.GetStringAsync("/api/v1/audit/entries?kind=membership", TestContext.Current.CancellationToken))!["items"]!.AsArray(),
                items => items.Count > 0, TimeSpan.FromSeconds(10), "NL's membership entry for roster version 2");
            var joined = Assert.Single(entries)!;
            Assert.Equal("join", joined["rule"]!.GetValue<string>());
            Assert.Equal("2", joined["detail"]!["version"]!.GetValue<string>());
            Assert.Equal("DE,FR,NL,SE", joined["detail"]!["nations"]!.GetValue<string>());
        }

        foreach (var member in GovernedNations.Members)
        {
            Assert.Equal(HttpStatusCode.OK, await _nations.HelloAsync("NL", member));
            await Eventually.WaitAsync(
                () => _nations.PeerAsync(member, "NL"),
                p => p?["health"]?.GetValue<string>() == "reachable" && p["lastAdvert"] is JsonObject,
                s_spread,
                $"{member} hears NL's adverts after roster version 2");
        }

        (exit, output, error) = await Fedctl("DE", "roster", "show");
        Assert.True(exit == 0, $"show: exit {exit}: {output} {error}");
        Assert.Contains("roster version 2, 4 nations", output, StringComparison.Ordinal);
        Assert.Contains(output.Split('\n'), l => l.StartsWith("NL ", StringComparison.Ordinal));
    }

    /// <summary><c>fedctl federation join</c> for NL against roster version 1 as FR serves it; returns the entry file it printed.</summary>
    private async Task<string> JoinAsync()
    {
        var roster = Path.Combine(_nations.Directory, "roster-v1.json");
        await File.WriteAllTextAsync(roster, (await StatusAsync("FR"))["current"]!.ToJsonString(), TestContext.Current.CancellationToken);
        var (exit, output, error) = await Fedctl("NL", "federation", "join", "--nation", "NL", "--certificate", _nations.KeyPath("NL"),
            "--endpoint", _nations.FederationUrl("NL"), "--roster", roster);
        Assert.True(exit == 0, $"join: exit {exit}: {output} {error}");
        foreach (var member in GovernedNations.Members)
        {
            Assert.Contains($"{member} {_nations.FederationUrl(member)}: pin matches the roster", error, StringComparison.Ordinal);
        }

        var entry = JsonNode.Parse(output)!.AsObject();
        using var key = NationCertificates.LoadPfx(_nations.KeyPath("NL"));
        Assert.Equal("NL", entry["code"]!.GetValue<string>());
        Assert.Equal(_nations.FederationUrl("NL"), entry["federationEndpoint"]!.GetValue<string>());
        Assert.Equal(SpkiPin.Compute(key), Assert.Single(entry["pins"]!.AsArray())!.GetValue<string>());
        var path = Path.Combine(_nations.Directory, "nl-joined-entry.json");
        await File.WriteAllTextAsync(path, output, TestContext.Current.CancellationToken);
        return path;
    }

    /// <summary>
    /// <c>fedctl federation join</c> through a roster as an impostor might hand it over refuses, naming
    /// each member whose endpoint does not present the roster's pin, and prints no entry.
    /// </summary>
    private async Task JoinThroughForgedRosterRefusedAsync()
    {
        // A roster as an impostor might hand it over: DE's entry names SE's key, and FR's endpoint is SE's.
        var current = (await StatusAsync("FR"))["current"]!.AsObject();
        var pins = current["nations"]!.AsArray().OfType<JsonObject>().ToDictionary(n => n["code"]!.GetValue<string>(), n => n["pins"]!.DeepClone());
        foreach (var nation in current["nations"]!.AsArray().OfType<JsonObject>())
        {
            switch (nation["code"]!.GetValue<string>())
            {
                case "DE":
                    nation["pins"] = pins["SE"]!.DeepClone();
                    break;
                case "FR":
                    nation["federationEndpoint"] = _nations.FederationUrl("SE");
                    break;
            }
        }

        var roster = Path.Combine(_nations.Directory, "roster-forged.json");
        await File.WriteAllTextAsync(roster, current.ToJsonString(), TestContext.Current.CancellationToken);
        var (exit, output, error) = await Fedctl("NL", "federation", "join", "--nation", "NL", "--certificate", _nations.KeyPath("NL"),
            "--endpoint", _nations.FederationUrl("NL"), "--roster", roster);

        Assert.True(exit == ExitCodes.Conflict, $"join through a forged roster: exit {exit}: {output} {error}");
        Assert.Equal("", output);
        Assert.Contains($"DE {_nations.FederationUrl("DE")}: PIN MISMATCH: presents {pins["DE"]![0]!.GetValue<string>()}", error, StringComparison.Ordinal);
        Assert.Contains($"FR {_nations.FederationUrl("SE")}: PIN MISMATCH: presents {pins["SE"]![0]!.GetValue<string>()}", error, StringComparison.Ordinal);
        Assert.Contains($"SE {_nations.FederationUrl("SE")}: pin matches the roster", error, StringComparison.Ordinal);
        Assert.Contains("2 member(s) of roster version 1 could not be checked against their pins: do not join through this roster", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotateKey_SignedByQuorum_NewKeyAcceptedAndOldKeyKeptForItsGracePeriod()
    {
        var proposal = Path.Combine(_nations.Directory, "rotate-fr.json");
        var newKey = Path.Combine(_nations.Directory, "fr-next.pfx");
        var (exit, output, error) = await Fedctl("FR", "roster", "rotate-key", "--nation", "FR", "--certificate", _nations.KeyPath("FR"),
            "--new-certificate", newKey, "--grace", "1h", "--out", proposal);
        Assert.True(exit == 0, $"rotate-key: exit {exit}: {output} {error}");
        Assert.True(File.Exists(newKey), "rotate-key writes the new key");

        (exit, output, error) = await Fedctl("DE", "roster", "submit", proposal);
        Assert.True(exit == ExitCodes.Conflict, $"submit with FR's signature only: exit {exit}: {output} {error}");

        (exit, output, error) = await Fedctl("DE", "roster", "sign", proposal, "--nation", "DE", "--certificate", _nations.KeyPath("DE"));
        Assert.True(exit == 0, $"sign DE: exit {exit}: {output} {error}");
        (exit, output, error) = await Fedctl("DE", "roster", "submit", proposal);
        Assert.True(exit == 0, $"submit: exit {exit}: {output} {error}");

        using var fresh = NationCertificates.LoadPfx(newKey);
        foreach (var member in new[] { "DE", "SE" })
        {
            await Eventually.WaitAsync(() => StatusAsync(member), s => s["version"]!.GetValue<long>() == 2, s_spread, $"{member} applies the rotation");
            Assert.Equal(HttpStatusCode.OK, await _nations.HelloAsync("FR", member, fresh));
            Assert.Equal(HttpStatusCode.OK, await _nations.HelloAsync("FR", member));
        }

        var fr = _nations.Roster("DE").Find("FR")!;
        Assert.Equal([SpkiPin.Compute(fresh)], fr.Pins);
        var retired = Assert.Single(fr.RetiredPins!);
        Assert.InRange(retired.NotAfter - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromHours(1));
    }
}
