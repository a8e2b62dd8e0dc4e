using Federation.Contracts.Ids;

namespace Federation.Unit.Tests.Ids;

public sealed class DatasetIdTests
{
    [Theory]
    [InlineData("cancer-registry")]
    [InlineData("a")]
    [InlineData("x1")]
    [InlineData("0cafe")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789-abcdefghijklmnopqrstuvwxyz")]
    public void TryParse_Slug_Succeeds(string text)
    {
        Assert.True(DatasetId.TryParse(text, out var id, out var error), error);
        Assert.Equal(text, id.Value);
        Assert.Equal(text, id.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Cancer-registry")]
    [InlineData("-registry")]
    [InlineData("registry-")]
    [InlineData("cancer_registry")]
    [InlineData("cancer registry")]
    [InlineData("régistre")]
    [InlineData("ds+1")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789-abcdefghijklmnopqrstuvwxyz0")]
    public void TryParse_NotASlug_FailsNamingValueAndRule(string text)
    {
        Assert.False(DatasetId.TryParse(text, out _, out var error));
        Assert.Contains($"'{text}'", error, StringComparison.Ordinal);
        Assert.Contains(DatasetId.Kind, error, StringComparison.Ordinal);
        Assert.Contains(IdSyntax.SlugRule, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Null_FailsSayingRequired()
    {
        Assert.False(DatasetId.TryParse(null, out _, out var error));
        Assert.Contains("required", error, StringComparison.Ordinal);
        Assert.Contains(IdSyntax.SlugRule, error, StringComparison.Ordinal);
    }

    [Fact]
    public void GrainKey_Slug_IsPrefixedAndParsesBack()
    {
        var id = TypedId.Parse<DatasetId>("cancer-registry");

        Assert.Equal("ds-cancer-registry", id.GrainKey);
        Assert.Equal(id, DatasetId.FromGrainKey(id.GrainKey));
    }

    [Fact]
    public void FromGrainKey_WrongPrefix_Throws()
    {
        var e = Assert.Throws<FormatException>(() => DatasetId.FromGrainKey("node-cancer-registry"));
        Assert.Contains("ds-", e.Message, StringComparison.Ordinal);
    }
}
