using Federation.Contracts.Ids;

namespace Federation.Unit.Tests.Ids;

public sealed class Sha256DigestTests
{
    private const string Lower = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    [Fact]
    public void TryParse_LowerCaseHex_KeepsValue()
    {
        Assert.True(Sha256Digest.TryParse(Lower, out var digest, out var error), error);
        Assert.Equal(Lower, digest.Value);
    }

    [Fact]
    public void TryParse_UpperCaseHex_IsAcceptedAndNormalisedToLowerCase()
    {
        Assert.True(Sha256Digest.TryParse(Lower.ToUpperInvariant(), out var digest, out var error), error);

        Assert.Equal(Lower, digest.Value);
        Assert.Equal(TypedId.Parse<Sha256Digest>(Lower), digest);
    }

    [Theory]
    [InlineData("")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a080")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g")]
    [InlineData("sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f0")]
    public void TryParse_Not64HexCharacters_FailsNamingValueAndRule(string text)
    {
        Assert.False(Sha256Digest.TryParse(text, out _, out var error));
        Assert.Contains($"'{text}'", error, StringComparison.Ordinal);
        Assert.Contains(Sha256Digest.Rule, error, StringComparison.Ordinal);
    }
}
