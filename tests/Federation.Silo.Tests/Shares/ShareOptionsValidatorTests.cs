using Federation.Silo.Shares;

namespace Federation.Silo.Tests.Shares;

/// <summary><see cref="ShareOptionsValidator"/> on the checkpoint grace: not negative, and (unless 0) less than the reclaim grace.</summary>
public sealed class ShareOptionsValidatorTests
{
    private static List<string> Failures(double checkpoint, double reclaim) =>
        new ShareOptionsValidator().Validate(null, new ShareOptions { CheckpointGraceSeconds = checkpoint, ReclaimGraceSeconds = reclaim }).Failures?.ToList() ?? [];

    [Theory]
    [InlineData(30, 300)]
    [InlineData(0, 300)]
    [InlineData(0, 0)]
    [InlineData(2, 20)]
    public void CheckpointGrace_ZeroOrBelowTheReclaimGrace_IsValid(double checkpoint, double reclaim) =>
        Assert.Empty(Failures(checkpoint, reclaim));

    [Theory]
    [InlineData(-1, 300)]
    [InlineData(300, 300)]
    [InlineData(30, 10)]
    [InlineData(double.NaN, 300)]
    public void CheckpointGrace_NegativeOrNotBelowTheReclaimGrace_FailsNamingTheSetting(double checkpoint, double reclaim)
    {
        var failure = Assert.Single(Failures(checkpoint, reclaim));
        Assert.StartsWith("Federation:Shares:CheckpointGraceSeconds must be 0 (no checkpoint signal) or more than 0 and less than Federation:Shares:ReclaimGraceSeconds", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_CheckpointThirtySecondsWithinAReclaimGraceOfFiveMinutes()
    {
        var settings = new ShareOptions().ToSettings();
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5)), (settings.CheckpointGrace, settings.ReclaimGrace));
        Assert.Empty(settings.Validate());
        Assert.Contains("CheckpointGrace must be 0 or more", string.Join("; ", (settings with { CheckpointGrace = settings.ReclaimGrace }).Validate()), StringComparison.Ordinal);
    }
}
