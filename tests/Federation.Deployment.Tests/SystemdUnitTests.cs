namespace Federation.Deployment.Tests;

/// <summary>
/// infra/systemd's units pass <c>systemd-analyze verify</c> (no warning either) with their executables in
/// place: a copy of each unit names this checkout's built silo and fedctl instead of /opt/federation.
/// They keep the hardening a nation relies on; a broken unit is shown to fail.
/// </summary>
public sealed class SystemdUnitTests
{
    private static readonly string[] s_restarts = ["on-failure", "always"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Units => ["federation-silo.service", "federation-node-agent.service"];

    [Theory]
    [MemberData(nameof(Units))]
    public async Task Unit_VerifiesClean_WithItsExecutableInPlace(string unit)
    {
        var result = await VerifyAsync(unit, File.ReadAllText(RepositoryRoot.Combine("infra", "systemd", unit)));
        Assert.True(result.ExitCode == 0 && result.Text.Length == 0, $"systemd-analyze verify {unit}: exit {result.ExitCode}: {result.Text}");
    }

    [Theory]
    [MemberData(nameof(Units))]
    public void Unit_IsHardened(string unit)
    {
        var keys = File.ReadAllLines(RepositoryRoot.Combine("infra", "systemd", unit))
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#'))
            .Select(l => (Key: l[..l.IndexOf('=', StringComparison.Ordinal)], Value: l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]))
            .ToLookup(kv => kv.Key, kv => kv.Value);
        Assert.Equal("strict", Assert.Single(keys["ProtectSystem"]));
        Assert.Equal("yes", Assert.Single(keys["NoNewPrivileges"]));
        Assert.Equal("yes", Assert.Single(keys["PrivateTmp"]));
        Assert.Contains(Assert.Single(keys["Restart"]), s_restarts);
        Assert.StartsWith("/etc/federation/", Assert.Single(keys["EnvironmentFile"]), StringComparison.Ordinal);
        Assert.NotEmpty(keys["ReadWritePaths"]);
        Assert.True(keys["User"].Any(u => u != "root") || keys["DynamicUser"].Contains("yes"), $"{unit} must run as a dedicated user or DynamicUser");
        Assert.DoesNotContain(keys["Environment"], e => e.Contains("Token", StringComparison.OrdinalIgnoreCase) || e.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ABrokenUnit_FailsVerification()
    {
        var unit = File.ReadAllText(RepositoryRoot.Combine("infra", "systemd", "federation-silo.service"));
        var misspelt = await VerifyAsync("federation-silo.service", unit.Replace("ProtectSystem=strict", "ProtectSytem=strict", StringComparison.Ordinal));
        Assert.Contains("Unknown key", misspelt.Text, StringComparison.Ordinal);
        var missing = await VerifyAsync("federation-silo.service", unit.Replace("/opt/federation/silo/Federation.Silo", "/opt/federation/silo/Federation.Silo.missing", StringComparison.Ordinal));
        Assert.Contains("is not executable", missing.Text, StringComparison.Ordinal);
    }

    private static async Task<ExternalCommand.Result> VerifyAsync(string name, string unit)
    {
        var configuration = RepositoryRoot.Configuration;
        var silo = RepositoryRoot.Combine("silos", "Federation.Silo", "bin", configuration, "net10.0");
        var fedctl = RepositoryRoot.Combine("silos", "Federation.Fedctl", "bin", configuration, "net10.0");
        foreach (var executable in new[] { Path.Combine(silo, "Federation.Silo"), Path.Combine(fedctl, "fedctl") })
        {
            Assert.True(File.Exists(executable), $"{executable} is not built: build Federation.sln ({configuration}) first");
        }

        var directory = Directory.CreateTempSubdirectory("federation-units-");
        try
        {
            var path = Path.Combine(directory.FullName, name);
            await File.WriteAllTextAsync(path, unit.Replace("/opt/federation/silo", silo, StringComparison.Ordinal).Replace("/opt/federation/fedctl", fedctl, StringComparison.Ordinal), Ct);
            return await ExternalCommand.RunAsync("systemd-analyze", ["verify", path], TimeSpan.FromSeconds(60),
                "install systemd (apt-get install systemd; .ci/run does)");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
