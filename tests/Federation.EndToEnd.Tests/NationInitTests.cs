using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Federation.Fedctl;
using Federation.Protocol;
using Federation.Protocol.Roster;

namespace Federation.EndToEnd.Tests;

/// <summary><c>fedctl nation init</c>, run in this process.</summary>
public sealed class NationInitTests
{
    [Fact]
    public async Task NationInit_NewNation_WritesFilesAndPrintsRosterEntryWithPinOfCertificate()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"nation-init-{Guid.NewGuid():N}");
        var (exit, output, error) = await RunAsync("nation", "init", "FR", "--out", directory, "--name", "France", "--endpoint", "https://127.0.0.1:7443");

        Assert.True(exit == ExitCodes.Ok, error);
        var entry = JsonSerializer.Deserialize<RosterEntry>(output, RosterDocument.JsonOptions)!;
        using var written = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(directory, "fr.crt.pem"));
        using var pfx = NationCertificates.LoadPfx(Path.Combine(directory, "fr.pfx"));
        Assert.Equal("FR", entry.Code);
        Assert.Equal("France", entry.Name);
        Assert.Equal("https://127.0.0.1:7443", entry.FederationEndpoint);
        Assert.Equal(["1", "2"], entry.ProtocolVersions);
        Assert.Equal([SpkiPin.Compute(written)], entry.Pins);
        Assert.Equal("CN=FR", written.Subject);
        Assert.Equal(["code", "name", "federationEndpoint", "protocolVersions", "pins"], JsonDocument.Parse(output).RootElement.EnumerateObject().Select(p => p.Name));
        Assert.True(pfx.HasPrivateKey);
        Assert.Equal(SpkiPin.Compute(written), SpkiPin.Compute(pfx));
        Assert.InRange(written.NotAfter - written.NotBefore, TimeSpan.FromDays(729), TimeSpan.FromDays(731));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, "fr.pfx")));
        }

        Assert.Empty(RosterDocument.ValidateEntry(entry));
    }

    [Fact]
    public async Task NationInit_ExistingKey_RefusesWithoutForce()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"nation-init-{Guid.NewGuid():N}");
        var first = await RunAsync("nation", "init", "DE", "--out", directory);
        var second = await RunAsync("nation", "init", "DE", "--out", directory);

        Assert.Equal(ExitCodes.Ok, first.Exit);
        Assert.Equal(ExitCodes.Conflict, second.Exit);
        Assert.Contains("--force", second.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NationInit_CertificateFromOwnCa_PrintsItsPin()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"nation-init-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        using var issued = NationCertificates.Create("SE");
        var certPem = Path.Combine(directory, "issued.pem");
        var keyPem = Path.Combine(directory, "issued.key");
        await File.WriteAllTextAsync(certPem, issued.ExportCertificatePem(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(keyPem, issued.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), TestContext.Current.CancellationToken);

        var (exit, output, error) = await RunAsync("nation", "init", "SE", "--out", directory, "--cert", certPem, "--key", keyPem);

        Assert.True(exit == ExitCodes.Ok, error);
        var entry = JsonSerializer.Deserialize<RosterEntry>(output, RosterDocument.JsonOptions)!;
        Assert.Equal([SpkiPin.Compute(issued)], entry.Pins);
    }

    [Fact]
    public async Task NationInit_InvalidCode_IsUsageError()
    {
        var (exit, _, error) = await RunAsync("nation", "init", "XX", "--out", Path.GetTempPath());

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("ISO 3166-1", error, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["FEDCTL_CONFIG"] = Path.Combine(Path.GetTempPath(), $"fedctl-test-{Guid.NewGuid():N}", "config.json"),
        };
        var exit = await FedctlApp.RunAsync(args, output, error, TextReader.Null, environment, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }
}
