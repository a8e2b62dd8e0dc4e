using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Federation.Testing;

namespace Federation.Fedctl.Tests;

/// <summary><c>fedctl peers</c> on a nation with a peer, and <c>--url</c> pointed at that nation's federation port.</summary>
public sealed class PeersCliTests(PeeredNations nations) : IClassFixture<PeeredNations>
{
    /// <summary>FR's view of DE once DE's advert offering its node's accelerators has arrived.</summary>
    private async Task<JsonObject> DeAdvertisedAsync() =>
        await Eventually.WaitAsync(
            async () =>
            {
                var (exit, output, error) = await FedctlRun.RunAsync(nations.FrEnvironment(), "peers", "-o", "json");
                Assert.True(exit == 0, $"peers -o json: exit {exit}: {output} {error}");
                return JsonNode.Parse(output)!.AsArray().OfType<JsonObject>().Single(p => p["nation"]!.GetValue<string>() == "DE");
            },
            de => de["health"]?.GetValue<string>() == "reachable" && de["lastAdvert"]?["accelerators"]?.AsArray().Count > 0,
            TimeSpan.FromSeconds(30),
            "FR sees DE reachable, with an advert that offers DE's 4 x h100-sxm");

    [Fact]
    public async Task Peers_Table_ListsHealthAdvertAgeCapacityIntensityAndPue()
    {
        var de = await DeAdvertisedAsync();
        var (exit, output, error) = await FedctlRun.RunAsync(nations.FrEnvironment(), "peers");
        Assert.True(exit == 0, $"exit {exit}: {output} {error}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NATION +HEALTH +LAST ADVERT +ACCELERATORS FREE/TOTAL +GCO2E/KWH +PUE$", lines[0].TrimEnd());
        var intensity = de["lastAdvert"]!["gridIntensityGco2PerKwh"]!.GetValue<double>().ToString("0.#", CultureInfo.InvariantCulture);
        var pue = de["lastAdvert"]!["pue"]!.GetValue<double>().ToString("0.00", CultureInfo.InvariantCulture);
        var row = Assert.Single(lines, l => l.StartsWith("DE ", StringComparison.Ordinal));
        Assert.Matches($@"^DE +reachable +\d+ s ago +4/4 \(h100-sxm 4/4\) +{Regex.Escape(intensity)} +{Regex.Escape(pue)}$", row.TrimEnd());
    }

    [Fact]
    public async Task Peers_WideAndShow_AddTheLinkAndTheAdvertInFull()
    {
        await DeAdvertisedAsync();
        var (wideExit, wide, wideError) = await FedctlRun.RunAsync(nations.FrEnvironment(), "peers", "-o", "wide");
        Assert.True(wideExit == 0, $"exit {wideExit}: {wide} {wideError}");
        Assert.Contains("ZONE", wide.Split('\n')[0], StringComparison.Ordinal);
        Assert.Matches(@"(?m)^DE .* \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ ", wide);

        var (showExit, shown, showError) = await FedctlRun.RunAsync(nations.FrEnvironment(), "peers", "show", "de");
        Assert.True(showExit == 0, $"exit {showExit}: {shown} {showError}");
        Assert.Matches(@"(?m)^nation: +DE$", shown);
        Assert.Matches(@"(?m)^health: +reachable$", shown);
        Assert.Matches(@"(?m)^last advert at: +\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$", shown);
        Assert.Matches(@"(?m)^last advert:$", shown);
        Assert.Matches(@"(?m)^  grid zone: +\S+", shown);

        var (jsonExit, json, _) = await FedctlRun.RunAsync(nations.FrEnvironment(), "peers", "show", "DE", "-o", "json");
        Assert.Equal(0, jsonExit);
        Assert.Equal("DE", JsonNode.Parse(json)!["nation"]!.GetValue<string>());

        var (missingExit, _, missingError) = await FedctlRun.RunAsync(nations.FrEnvironment(), "peers", "show", "SE");
        Assert.Equal(ExitCodes.NotFound, missingExit);
        Assert.Contains("SE is not a peer", missingError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https")]
    [InlineData("http")]
    public async Task Url_TheFederationPort_OneLineSayingWhatAnswered_ExitsWrongEndpoint(string scheme)
    {
        var environment = nations.FrEnvironment();
        environment["FEDCTL_URL"] = new UriBuilder(nations.FrFederation) { Scheme = scheme }.Uri.ToString();
        var (exit, output, error) = await FedctlRun.RunAsync(environment, "jobs", "list");
        Assert.True(exit == ExitCodes.WrongEndpoint, $"FEDCTL_URL={environment["FEDCTL_URL"]}: exit {exit}, expected {ExitCodes.WrongEndpoint}: {output} {error}");
        WrongUrlAssertions.OneLine(error);
        if (scheme == "https")
        {
            Assert.Contains("certificate 'CN=FR'", error, StringComparison.Ordinal);
            Assert.Contains("federation port", error, StringComparison.Ordinal);
        }
    }
}
