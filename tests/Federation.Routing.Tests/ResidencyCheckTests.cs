using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using static Federation.Routing.Tests.Samples;

namespace Federation.Routing.Tests;

public sealed class ResidencyCheckTests
{
    private static readonly DatasetRef Registry = TypedId.Parse<DatasetRef>("FR/cancer-registry");

    [Fact]
    public void Allows_HomeOnlyElsewhere_RefusedWithReason()
    {
        var (allowed, reason) = ResidencyCheck.Allows(Residency.HomeOnly, FR, DE, Registry);

        Assert.False(allowed);
        Assert.StartsWith("dataset FR/cancer-registry may be processed only in FR", reason, StringComparison.Ordinal);
        Assert.Contains("not in DE", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Allows_HomeOnlyAtHome_Allowed()
    {
        var (allowed, reason) = ResidencyCheck.Allows(Residency.HomeOnly, Registry, FR);

        Assert.True(allowed);
        Assert.Contains("only in FR", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Allows_ListedNations_HomeAndListedAllowedOthersRefused()
    {
        var residency = new Residency(ResidencyKind.ListedNations, [DE]);

        Assert.True(ResidencyCheck.Allows(residency, Registry, FR).Allowed);
        Assert.True(ResidencyCheck.Allows(residency, Registry, DE).Allowed);
        var (allowed, reason) = ResidencyCheck.Allows(residency, Registry, SE);
        Assert.False(allowed);
        Assert.Equal("dataset FR/cancer-registry may be processed only in FR, DE, not in SE", reason);
    }

    [Fact]
    public void Allows_Anywhere_Allowed()
    {
        var residency = new Residency(ResidencyKind.Anywhere, []);

        var (allowed, reason) = ResidencyCheck.Allows(residency, Registry, SE);

        Assert.True(allowed);
        Assert.Contains("any member nation", reason, StringComparison.Ordinal);
    }
}
