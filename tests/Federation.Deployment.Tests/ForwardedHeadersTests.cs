using System.Net;
using System.Net.Sockets;
using Federation.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Federation.Deployment.Tests;

/// <summary>
/// <c>X-Forwarded-*</c> on the user port count only from <c>Federation:Hosting:ForwardedHeaders</c>'
/// proxies: the client's source address is chosen on loopback (127.0.0.1 is not trusted, 127.0.0.2 and
/// 127.0.0.16/28 are), against one silo.
/// </summary>
public sealed class ForwardedHeadersTests(ForwardedHeadersTests.Silo silo) : IClassFixture<ForwardedHeadersTests.Silo>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FromAnAddressThatIsNoKnownProxy_TheHeadersAreIgnored()
    {
        var seen = await RequestFromAsync(IPAddress.Parse("127.0.0.1"));
        Assert.Equal($"127.0.0.1|http|127.0.0.1:{silo.Hosted.BaseAddress.Port}", seen);
    }

    [Fact]
    public async Task FromAKnownProxy_ClientAddressSchemeAndHostAreTheForwardedOnes()
    {
        Assert.Equal("203.0.113.7|https|api.nation-fr.example", await RequestFromAsync(IPAddress.Parse("127.0.0.2")));
    }

    [Fact]
    public async Task FromAKnownNetwork_TheHeadersAreHonoured()
    {
        Assert.Equal("203.0.113.7|https|api.nation-fr.example", await RequestFromAsync(IPAddress.Parse("127.0.0.20")));
    }

    [Theory]
    [InlineData("Federation:Hosting:ForwardedHeaders:KnownProxies:0", "proxy.example", "Federation:Hosting:ForwardedHeaders:KnownProxies:0 must be an IP address, got 'proxy.example'")]
    [InlineData("Federation:Hosting:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33", "Federation:Hosting:ForwardedHeaders:KnownNetworks:0 must be a network in CIDR notation")]
    [InlineData("Federation:Hosting:ForwardedHeaders:ForwardLimit", "0", "Federation:Hosting:ForwardedHeaders:ForwardLimit must be 1 to 10, got 0")]
    [InlineData("Federation:Hosting:Kubernetes", "true", "Federation:Hosting:Kubernetes requires Federation:Postgres:ConnectionString")]
    [InlineData("Federation:Hosting:EventPollMilliseconds", "0", "Federation:Hosting:EventPollMilliseconds must be 1 to 1000, got 0")]
    [InlineData("Federation:Hosting:EventQueues", "65", "Federation:Hosting:EventQueues must be 1 to 64, got 65")]
    public void BadHostingSetting_StopsTheSilo_NamingIt(string key, string value, string expected)
    {
        var settings = HostedSilo.Settings(new Dictionary<string, string?> { ["Federation:Urls"] = "http://127.0.0.1:0", [key] = value });
        var error = Assert.Throws<OptionsValidationException>(() => SiloHost.Build([], c => c.AddInMemoryCollection(settings)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private async Task<string> RequestFromAsync(IPAddress source)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = silo.Hosted.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, HostedSilo.EchoPath);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "api.nation-fr.example");
        using var response = await client.SendAsync(request, Ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(Ct);
    }

    /// <summary>One silo that trusts the proxy 127.0.0.2 and the network 127.0.0.16/28.</summary>
    public sealed class Silo : IAsyncLifetime
    {
        /// <summary>The started silo.</summary>
        public HostedSilo Hosted { get; private set; } = null!;

        /// <inheritdoc />
        public async ValueTask InitializeAsync() => Hosted = await HostedSilo.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Urls"] = "http://127.0.0.1:0",
            ["Federation:Hosting:ForwardedHeaders:KnownProxies:0"] = "127.0.0.2",
            ["Federation:Hosting:ForwardedHeaders:KnownNetworks:0"] = "127.0.0.16/28",
        });

        /// <inheritdoc />
        public ValueTask DisposeAsync() => Hosted.DisposeAsync();
    }
}
