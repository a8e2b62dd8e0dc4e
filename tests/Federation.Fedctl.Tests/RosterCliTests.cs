using System.Net;
using System.Text.Json.Nodes;
using Federation.Protocol;
using Federation.Testing;

namespace Federation.Fedctl.Tests;

/// <summary>
/// <c>fedctl roster</c> against four in-process nations: a version signed by fewer than the quorum is
/// refused by every member; a properly signed one adds NL, and the members then hear from it; a key
/// rotation keeps the old key valid for its grace period.
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
    public async Task Roster_JoinSignedByFewerThanQuorumThenByQuorum_RefusedByEveryMemberThenNlIsHeardFrom()
    {
        var proposal = Path.Combine(_nations.Directory, "join-nl.json");
        Assert.Null(await _nations.HelloAsync("NL", "FR"));

        var (exit, output, error) = await Fedctl("FR", "roster", "propose", "--add", _nations.NlEntryPath, "--out", proposal);
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
