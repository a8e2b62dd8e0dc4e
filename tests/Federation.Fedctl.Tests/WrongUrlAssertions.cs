namespace Federation.Fedctl.Tests;

/// <summary>What every wrong-URL message has.</summary>
internal static class WrongUrlAssertions
{
    public static void OneLine(string error)
    {
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.TrimEnd());
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Contains("fedctl expected a nation's user API", error, StringComparison.Ordinal);
    }
}
