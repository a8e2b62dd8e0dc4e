using Federation.Contracts.Ids;

namespace Federation.Unit.Tests.Ids;

public sealed class JobRefTests
{
    [Fact]
    public void TryParse_OriginSlashId_SplitsIntoParts()
    {
        Assert.True(JobRef.TryParse("FR/train-42", out var job, out var error), error);

        Assert.Equal("FR", job.Origin.Value);
        Assert.Equal("train-42", job.Id);
        Assert.Equal("FR/train-42", job.ToString());
    }

    [Theory]
    [InlineData("train-42", "'train-42'", "<nation code>/<id>")]
    [InlineData("XX/train-42", "'XX'", NationCode.Rule)]
    [InlineData("FR/Train-42", "'Train-42'", IdSyntax.SlugRule)]
    [InlineData("FR/", "''", IdSyntax.SlugRule)]
    public void TryParse_Invalid_FailsNamingValueAndRule(string text, string quotedPart, string rule)
    {
        Assert.False(JobRef.TryParse(text, out _, out var error));
        Assert.Contains(quotedPart, error, StringComparison.Ordinal);
        Assert.Contains(rule, error, StringComparison.Ordinal);
    }
}
