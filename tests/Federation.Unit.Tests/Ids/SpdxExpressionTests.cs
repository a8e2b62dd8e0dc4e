using Federation.Contracts.Ids;

namespace Federation.Unit.Tests.Ids;

public sealed class SpdxExpressionTests
{
    [Theory]
    [InlineData("MIT")]
    [InlineData("Apache-2.0 OR MIT")]
    [InlineData("(MIT AND CC-BY-4.0)")]
    [InlineData("GPL-2.0-or-later WITH Classpath-exception-2.0")]
    [InlineData("GPL-2.0+")]
    [InlineData("LicenseRef-national-data-licence")]
    [InlineData("(CC-BY-4.0 OR MIT) AND Apache-2.0")]
    public void TryParse_Expression_SucceedsKeepingText(string text)
    {
        Assert.True(SpdxExpression.TryParse(text, out var licence, out var error), error);
        Assert.Equal(text, licence.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("MIT OR")]
    [InlineData("(MIT")]
    [InlineData("MIT)")]
    [InlineData("MIT AND AND BSD")]
    [InlineData("OR MIT")]
    [InlineData("MIT BSD")]
    [InlineData("()")]
    public void TryParse_Malformed_FailsNamingValueAndRule(string text)
    {
        Assert.False(SpdxExpression.TryParse(text, out _, out var error));
        Assert.Contains($"'{text}'", error, StringComparison.Ordinal);
        Assert.Contains(SpdxExpression.Rule, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Over200Characters_Fails()
    {
        var text = string.Join(" OR ", Enumerable.Repeat("Apache-2.0", 20));

        Assert.True(text.Length > 200);
        Assert.False(SpdxExpression.TryParse(text, out _, out var error));
        Assert.Contains(SpdxExpression.Rule, error, StringComparison.Ordinal);
    }
}
