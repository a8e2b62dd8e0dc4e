using Federation.Contracts.Ids;

namespace Federation.Unit.Tests.Ids;

public sealed class NodeIdTests
{
    [Theory]
    [InlineData("gpu-paris-01")]
    [InlineData("n1")]
    public void TryParse_Slug_Succeeds(string text)
    {
        Assert.True(NodeId.TryParse(text, out var id, out var error), error);
        Assert.Equal(text, id.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("GPU-paris-01")]
    [InlineData("gpu_paris_01")]
    [InlineData("gpu.paris")]
    [InlineData("-gpu")]
    public void TryParse_NotASlug_FailsNamingValueAndRule(string text)
    {
        Assert.False(NodeId.TryParse(text, out _, out var error));
        Assert.Contains($"'{text}'", error, StringComparison.Ordinal);
        Assert.Contains(NodeId.Kind, error, StringComparison.Ordinal);
        Assert.Contains(IdSyntax.SlugRule, error, StringComparison.Ordinal);
    }

    [Fact]
    public void GrainKey_Slug_IsPrefixedAndParsesBack()
    {
        var id = TypedId.Parse<NodeId>("gpu-paris-01");

        Assert.Equal("node-gpu-paris-01", id.GrainKey);
        Assert.Equal(id, NodeId.FromGrainKey(id.GrainKey));
    }
}
