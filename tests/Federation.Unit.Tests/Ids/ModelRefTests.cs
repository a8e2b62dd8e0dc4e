using Federation.Contracts.Ids;

namespace Federation.Unit.Tests.Ids;

public sealed class ModelRefTests
{
    [Fact]
    public void TryParse_NameAtVersion_SplitsIntoParts()
    {
        Assert.True(ModelRef.TryParse("m@1.0", out var model, out var error), error);

        Assert.Equal("m", model.Name.Value);
        Assert.Equal("1.0", model.Version.Value);
        Assert.Equal("m@1.0", model.ToString());
        Assert.Equal("model-m@1.0", model.GrainKey);
        Assert.Equal(model, ModelRef.FromGrainKey(model.GrainKey));
    }

    [Theory]
    [InlineData("sovereign-llm-7b@2024-06-rc.1")]
    [InlineData("m@V_2")]
    public void TryParse_ValidNameAndVersion_Succeeds(string text)
    {
        Assert.True(ModelRef.TryParse(text, out var model, out var error), error);
        Assert.Equal(text, model.ToString());
    }

    [Fact]
    public void TryParse_NoAt_FailsNamingValueAndShape()
    {
        Assert.False(ModelRef.TryParse("m", out _, out var error));
        Assert.Contains("'m'", error, StringComparison.Ordinal);
        Assert.Contains("<name>@<version>", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("M@1.0", "'M'", IdSyntax.SlugRule)]
    [InlineData("@1.0", "''", IdSyntax.SlugRule)]
    [InlineData("m@", "''", ModelVersion.Rule)]
    [InlineData("m@.1", "'.1'", ModelVersion.Rule)]
    [InlineData("m@1 0", "'1 0'", ModelVersion.Rule)]
    public void TryParse_BadPart_FailsNamingPartAndRule(string text, string quotedPart, string rule)
    {
        Assert.False(ModelRef.TryParse(text, out _, out var error));
        Assert.Contains(quotedPart, error, StringComparison.Ordinal);
        Assert.Contains(rule, error, StringComparison.Ordinal);
    }
}
