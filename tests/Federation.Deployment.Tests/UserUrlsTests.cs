using Federation.Silo.Hosting;
using Microsoft.Extensions.Configuration;

namespace Federation.Deployment.Tests;

/// <summary>
/// Where the user API listens: <c>Federation:Urls</c>, else <c>ASPNETCORE_URLS</c> (<c>urls</c>), else
/// <c>ASPNETCORE_HTTP_PORTS</c>/<c>ASPNETCORE_HTTPS_PORTS</c>, else loopback 5180. The environment
/// variables reach the configuration as the keys below (ASP.NET Core strips the prefix).
/// </summary>
public sealed class UserUrlsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("http://127.0.0.1:7000", "http://127.0.0.1:7001", "8080", "Federation:Urls", "http://127.0.0.1:7000")]
    [InlineData(null, "http://127.0.0.1:7001", "8080", "ASPNETCORE_URLS", "http://127.0.0.1:7001")]
    [InlineData(null, null, "8080", "ASPNETCORE_HTTP_PORTS/ASPNETCORE_HTTPS_PORTS", "http://*:8080")]
    [InlineData(null, null, "8080;8081", "ASPNETCORE_HTTP_PORTS/ASPNETCORE_HTTPS_PORTS", "http://*:8080;http://*:8081")]
    [InlineData(null, null, null, "default", "http://127.0.0.1:5180")]
    [InlineData("  ", null, null, "default", "http://127.0.0.1:5180")]
    public void Resolve_TakesTheFirstSettingThatIsPresent(string? own, string? urls, string? httpPorts, string source, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Federation:Urls"] = own,
            ["urls"] = urls,
            ["http_ports"] = httpPorts,
        }).Build();
        Assert.Equal((expected, source), UserUrls.Resolve(configuration));
    }

    [Fact]
    public void Resolve_HttpAndHttpsPorts_ListenOnBoth()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["http_ports"] = "8080",
            ["https_ports"] = "8443",
        }).Build();
        Assert.Equal("http://*:8080;https://*:8443", UserUrls.Resolve(configuration).Urls);
    }

    [Fact]
    public async Task Start_WithOnlyHttpPorts_ListensThereOnEveryAddress()
    {
        // On every address, embedded mode needs a token (Exposure): the port convention must not open it.
        await using var silo = await HostedSilo.StartAsync(new Dictionary<string, string?>
        {
            ["http_ports"] = "0",
            ["Federation:Auth:AdminTokens:0"] = "deployment-test-admin-token",
        });
        Assert.NotEqual(5180, silo.BaseAddress.Port);
        using var client = new HttpClient { BaseAddress = silo.BaseAddress };
        using var response = await client.GetAsync("/health/ready", Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var dashboard = await client.GetAsync("/dashboard", Ct);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, dashboard.StatusCode);
    }
}
