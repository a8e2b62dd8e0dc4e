using Federation.Silo.Jobs.Leases;

namespace Federation.Unit.Tests.Jobs.Leases;

/// <summary>The lease settings' options: defaults are the settings' own, bad values named by key.</summary>
public sealed class LeaseOptionsTests
{
    [Fact]
    public void Defaults_Valid_AndAreTheSettingsDefaults()
    {
        var options = new LeaseOptions();

        Assert.True(new LeaseOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(new Federation.Grains.Jobs.Leases.LeaseSettings(), options.ToSettings());
    }

    [Fact]
    public void OutOfRange_RefusedNamingEachKey()
    {
        var result = new LeaseOptionsValidator().Validate(null, new LeaseOptions { RecheckSeconds = 0, WakeRetrySeconds = 3601, SweepSeconds = double.NaN });

        Assert.True(result.Failed);
        Assert.Equal(
            ["Federation:Leases:RecheckSeconds must be 1 to 3600, got 0", "Federation:Leases:WakeRetrySeconds must be 1 to 3600, got 3601", "Federation:Leases:SweepSeconds must be 1 to 3600, got NaN"],
            result.Failures);
    }
}
