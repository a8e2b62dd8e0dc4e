namespace Federation.Fedctl.Tests;

public sealed class LocalSetCliTests
{
    [Theory]
    [InlineData("Federation:Executor:RunAs=nobody")]
    [InlineData("IT:Federation:Executor:RunAs=nobody")]
    [InlineData("FR:=x")]
    [InlineData("FR:Federation:Executor:RunAs")]
    public async Task LocalUp_ASettingThatIsNotCodeKeyValue_IsAUsageError_AndStartsNothing(string setting)
    {
        var directory = Directory.CreateTempSubdirectory("local-set-").FullName;
        try
        {
            var (exit, _, error) = await FedctlRun.RunAsync(new Dictionary<string, string?>(), "local", "up", "FR", "DE", "--dir", directory, "--set", setting);
            Assert.Equal(ExitCodes.Usage, exit);
            Assert.Contains($"--set '{setting}' is not CODE:Key=Value with CODE one of FR, DE or *", error, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(directory, "state.json")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
