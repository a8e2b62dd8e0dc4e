using Federation.Contracts.Ids;

namespace Federation.Unit.Tests.Ids;

public sealed class NationCodeTests
{
    [Theory]
    [InlineData("FR")]
    [InlineData("DE")]
    [InlineData("SE")]
    public void TryParse_AssignedUpperCaseCode_Succeeds(string text)
    {
        Assert.True(NationCode.TryParse(text, out var code, out var error), error);
        Assert.Equal(text, code.Value);
        Assert.Equal(text, code.ToString());
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("Fr")]
    [InlineData("XX")]
    [InlineData("FRA")]
    [InlineData("F")]
    [InlineData("")]
    public void TryParse_NotAnAssignedAlpha2Code_FailsNamingValueAndRule(string text)
    {
        Assert.False(NationCode.TryParse(text, out _, out var error));
        Assert.Contains($"'{text}'", error, StringComparison.Ordinal);
        Assert.Contains(NationCode.Rule, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Null_FailsSayingRequired()
    {
        Assert.False(NationCode.TryParse(null, out _, out var error));
        Assert.Contains("required", error, StringComparison.Ordinal);
    }
}
