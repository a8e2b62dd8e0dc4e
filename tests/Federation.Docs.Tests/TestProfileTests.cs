using Federation.Testing;

namespace Federation.Docs.Tests;

/// <summary>The test profile names as CONTRIBUTING.md documents them.</summary>
public sealed class TestProfileTests
{
    [Theory]
    [InlineData(null, "ci")]
    [InlineData("", "ci")]
    [InlineData("ci", "ci")]
    [InlineData(" Full ", "full")]
    [InlineData("full", "full")]
    public void Parse_KnownOrUnset_IsThatProfile(string? value, string expected) =>
        Assert.Equal(expected, TestProfile.Parse(value));

    [Fact]
    public void Parse_UnknownName_ThrowsNamingTheVariableAndTheNames()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TestProfile.Parse("fast"));

        Assert.Equal("FEDERATION_TEST_PROFILE='fast' is not a test profile: use 'ci' (the default) or 'full'.", error.Message);
    }

    [Fact]
    public void Pick_ThisRun_FollowsTheEnvironment()
    {
        var expected = TestProfile.Parse(Environment.GetEnvironmentVariable(TestProfile.Variable)) == TestProfile.Full ? "full size" : "ci size";

        Assert.Equal(expected, TestProfile.Pick("ci size", "full size"));
        Assert.Equal(expected == "full size", TestProfile.IsFull);
    }
}
