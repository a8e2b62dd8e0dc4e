using Federation.Contracts.Peers;
using Federation.Routing.Trust;
using static Federation.Routing.Tests.RouterFixtures;

namespace Federation.Routing.Tests.Trust;

/// <summary>Adverts' grid intensity and PUE checked against the agreed reference, alone and in the router.</summary>
public sealed class AdvertClaimsTests
{
    private static ClaimReference Reference(string zone, double? gco2, bool fromRoster = false) =>
        new(zone, gco2, "annual 2023 figure", MinFraction: 0.5, ReferencePue: 1.58, ZoneFromRoster: fromRoster);

    private static CapabilityAdvert De(double intensity, double pue = 1.2) =>
        Advert(Nation("DE"), Capacity(H100, 4, 4)) with { GridZone = "DE", GridIntensityGco2PerKwh = intensity, Pue = pue };

    [Fact]
    public void Check_ZeroIntensity_FlaggedAndReferenceUsed()
    {
        var checkedClaims = AdvertClaims.Check(De(0), Reference("DE", 371.4));

        Assert.Equal(371.4, checkedClaims.GridIntensityGco2PerKwh);
        Assert.Equal(1.2, checkedClaims.Pue);
        var flag = Assert.Single(checkedClaims.Flags);
        Assert.StartsWith("gridIntensityGco2PerKwh: DE advertises 0 gCO2e/kWh, under 50% of the reference 371.4 gCO2e/kWh for zone DE", flag, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(185.7)]
    [InlineData(371.4)]
    [InlineData(900)]
    public void Check_AtOrAboveTheFraction_NotFlagged(double intensity)
    {
        var checkedClaims = AdvertClaims.Check(De(intensity), Reference("DE", 371.4));

        Assert.Empty(checkedClaims.Flags);
        Assert.Equal(intensity, checkedClaims.GridIntensityGco2PerKwh);
    }

    [Fact]
    public void Check_CleanHourAgainstHourlyReference_NotFlagged() =>
        Assert.False(AdvertClaims.Check(De(40), Reference("DE", 60)).Flagged);

    [Fact]
    public void Check_PueUnderOne_FlaggedAndReferencePueUsed()
    {
        var checkedClaims = AdvertClaims.Check(De(371.4, pue: 0.5), Reference("DE", 371.4));

        Assert.Equal(1.58, checkedClaims.Pue);
        Assert.Contains("pue: DE advertises a PUE of 0.5, under 1.0", Assert.Single(checkedClaims.Flags), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ZoneOtherThanTheRosters_FlaggedAndRosterZoneFigureUsed()
    {
        var checkedClaims = AdvertClaims.Check(De(38.4) with { GridZone = "SE" }, Reference("DE", 371.4, fromRoster: true));

        Assert.Equal(371.4, checkedClaims.GridIntensityGco2PerKwh);
        Assert.Contains("advertises zone 'SE' but the roster names 'DE'", Assert.Single(checkedClaims.Flags), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NoReference_AdvertFiguresAsTheyAre()
    {
        var checkedClaims = AdvertClaims.Check(De(0, pue: 0.5), null);

        Assert.Equal((0, 0.5), (checkedClaims.GridIntensityGco2PerKwh, checkedClaims.Pue));
        Assert.Empty(checkedClaims.Flags);
    }

    [Fact]
    public void Router_ZeroIntensityClaimWithReference_ChoiceUnchangedAndCandidateNoted()
    {
        var router = new Router(Table);
        var se = Advert(Nation("SE"), Capacity(H100, 4, 4)) with { GridZone = "SE", GridIntensityGco2PerKwh = 38.4 };
        CandidateNation Candidate(CapabilityAdvert advert, bool checkedAgainstReference) => Reachable(advert) with
        {
            Reference = checkedAgainstReference ? Reference(advert.GridZone, Table.FindGridZone(advert.GridZone)!.Gco2PerKwh) : null,
        };

        var honest = router.Plan(Request(Job(), [Candidate(De(371.4), true), Candidate(se, true)]));
        var lying = router.Plan(Request(Job(), [Candidate(De(0), true), Candidate(se, true)]));
        var believed = router.Plan(Request(Job(), [Candidate(De(0), false), Candidate(se, false)]));

        Assert.Equal("SE", honest.Chosen?.Value);
        Assert.Equal("SE", lying.Chosen?.Value);
        Assert.Equal("DE", believed.Chosen?.Value);
        var de = lying.Candidates.Single(c => c.Nation.Value == "DE");
        Assert.Equal(371.4, de.Score!.GridIntensityGco2PerKwh);
        Assert.Contains("DE advertises 0 gCO2e/kWh", Assert.Single(de.Notes), StringComparison.Ordinal);
        Assert.Empty(lying.Candidates.Single(c => c.Nation.Value == "SE").Notes);
        Assert.Equal(honest.Candidates.Single(c => c.Nation.Value == "DE").Score, de.Score);
    }
}
