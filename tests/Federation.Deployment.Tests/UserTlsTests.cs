using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Federation.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Federation.Deployment.Tests;

/// <summary>
/// The user port with its own TLS (<c>Federation:Hosting:UserTls</c>): an https URL answers with the
/// configured certificate and sends HSTS; without a usable certificate the silo does not start.
/// </summary>
public sealed class UserTlsTests(UserTlsTests.Silo silo) : IClassFixture<UserTlsTests.Silo>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HttpsUserPort_AnswersWithTheConfiguredCertificate_AndSendsHsts()
    {
        Assert.Equal("https", silo.Hosted.BaseAddress.Scheme);
        X509Certificate2? presented = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                presented = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.RawData);
                return true;
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = silo.Hosted.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");

        // HSTS is never sent to localhost or a loopback address: ask as the nation's public host name.
        request.Headers.Host = "api.nation-fr.example";
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(presented);
        Assert.Equal(silo.Certificate.Thumbprint, presented.Thumbprint);
        var hsts = Assert.Single(response.Headers.GetValues("Strict-Transport-Security"));
        Assert.StartsWith("max-age=31536000", hsts, StringComparison.Ordinal);
        presented.Dispose();
    }

    [Fact]
    public void HttpsUrlWithoutCertificate_StopsTheSilo_NamingTheSetting()
    {
        var error = BuildFailure(new Dictionary<string, string?> { ["Federation:Urls"] = "https://127.0.0.1:0" });
        Assert.Contains("Federation:Hosting:UserTls:CertificatePath is required for the https URLs of Federation:Urls", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongCertificatePassword_StopsTheSilo_NamingTheSettings()
    {
        var error = BuildFailure(new Dictionary<string, string?>
        {
            ["Federation:Urls"] = "https://127.0.0.1:0",
            ["Federation:Hosting:UserTls:CertificatePath"] = silo.PfxPath,
            ["Federation:Hosting:UserTls:CertificatePassword"] = "not-the-password",
        });
        Assert.Contains($"Federation:Hosting:UserTls:CertificatePath: {silo.PfxPath} could not be loaded", error.Message, StringComparison.Ordinal);
        Assert.Contains("Federation:Hosting:UserTls:CertificatePassword", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedScheme_StopsTheSilo_NamingTheUrl()
    {
        var error = BuildFailure(new Dictionary<string, string?> { ["Federation:Urls"] = "ftp://127.0.0.1:0" });
        Assert.Contains("Federation:Urls: only http and https URLs are supported for the user API, got 'ftp://127.0.0.1:0'", error.Message, StringComparison.Ordinal);
    }

    private static OptionsValidationException BuildFailure(Dictionary<string, string?> settings) =>
        Assert.Throws<OptionsValidationException>(() => SiloHost.Build([], c => c.AddInMemoryCollection(HostedSilo.Settings(settings))));

    /// <summary>One silo whose user port is https with a self-issued certificate from a password-protected PKCS#12 file.</summary>
    public sealed class Silo : IAsyncLifetime
    {
        private const string Password = "user-tls-test-password";
        private readonly string _directory = Directory.CreateTempSubdirectory("federation-user-tls-").FullName;

        /// <summary>The started silo.</summary>
        public HostedSilo Hosted { get; private set; } = null!;

        /// <summary>The certificate the silo was given.</summary>
        public X509Certificate2 Certificate { get; private set; } = null!;

        /// <summary>Its PKCS#12 file.</summary>
        public string PfxPath => Path.Combine(_directory, "user-api.pfx");

        /// <inheritdoc />
        public async ValueTask InitializeAsync()
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=api.nation-fr.example", key, HashAlgorithmName.SHA256);
            Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            await File.WriteAllBytesAsync(PfxPath, Certificate.Export(X509ContentType.Pfx, Password));
            Hosted = await HostedSilo.StartAsync(new Dictionary<string, string?>
            {
                ["Federation:Urls"] = "https://127.0.0.1:0",
                ["Federation:Hosting:UserTls:CertificatePath"] = PfxPath,
                ["Federation:Hosting:UserTls:CertificatePassword"] = Password,
            });
        }

        /// <inheritdoc />
        public async ValueTask DisposeAsync()
        {
            await Hosted.DisposeAsync();
            Certificate.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
