using Federation.Contracts.Ids;

namespace Federation.Unit.Tests.Ids;

public sealed class DatasetRefTests
{
    [Fact]
    public void TryParse_NationSlashId_SplitsIntoParts()
    {
        Assert.True(DatasetRef.TryParse("FR/x", out var reference, out var error), error);

        Assert.Equal("FR", reference.Nation.Value);
        Assert.Equal("x", reference.Dataset.Value);
        Assert.Equal("FR/x", reference.ToString());
    }

    [Fact]
    public void TryParse_NoSlash_FailsNamingValueAndShape()
    {
        Assert.False(DatasetRef.TryParse("x", out _, out var error));
        Assert.Contains("'x'", error, StringComparison.Ordinal);
        Assert.Contains("<nation code>/<id>", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fr/x", "'fr'", NationCode.Rule)]
    [InlineData("XX/x", "'XX'", NationCode.Rule)]
    [InlineData("FR/", "''", IdSyntax.SlugRule)]
    [InlineData("FR/X", "'X'", IdSyntax.SlugRule)]
    [InlineData("FR/x/y", "'x/y'", IdSyntax.SlugRule)]
    public void TryParse_BadPart_FailsNamingPartAndRule(string text, string quotedPart, string rule)
    {
        Assert.False(DatasetRef.TryParse(text, out _, out var error));
        Assert.Contains(quotedPart, error, StringComparison.Ordinal);
        Assert.Contains(rule, error, StringComparison.Ordinal);
    }
}
