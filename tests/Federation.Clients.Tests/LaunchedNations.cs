using Federation.Clients.Federation;
using Federation.Clients.User;
using Federation.Fedctl.Local;
using Federation.Protocol;
using Federation.Protocol.Roster;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace Federation.Clients.Tests;

/// <summary>
/// FR and DE started by the local launcher as real processes (in memory, mutual TLS between them),
/// shared by the tests of a class, and the generated clients that talk to them.
/// </summary>
public sealed class LaunchedNations : IAsyncLifetime
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly List<HttpClient> _clients = [];
    private string _directory = null!;
    private LocalFederation _launcher = null!;
    private LocalFederationState _state = null!;

    /// <summary>The roster the launcher wrote for the nations.</summary>
    public RosterDocument Roster { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("clients-federation-").FullName;
        _launcher = new LocalFederation(_directory, _output, _error);
        var silo = Path.Combine(AppContext.BaseDirectory, "Federation.Silo.dll");
        try
        {
            _state = await _launcher.UpAsync(["FR", "DE"], silo, postgres: null, TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"The launcher did not start FR and DE: {e.Message}\n{_output}\n{_error}", e);
        }

        Roster = RosterDocument.Parse(await File.ReadAllTextAsync(_state.Roster, TestContext.Current.CancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        await _launcher.DownAsync();
        _output.Dispose();
        _error.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary directory.
        }
    }

    /// <summary>The generated user API client of <paramref name="code"/> (launched nations are open on loopback).</summary>
    public UserApiClient UserClient(string code)
    {
        var nation = _state.Nations.Single(n => n.Code == code);
        var http = Track(new HttpClient { Timeout = TimeSpan.FromSeconds(30) });

        // The launcher prints the API URL with /api/v1; the document's paths start at the root.
        var root = nation.ApiUrl.EndsWith("/api/v1", StringComparison.Ordinal) ? nation.ApiUrl[..^"/api/v1".Length] : nation.ApiUrl;
        return new UserApiClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = root.TrimEnd('/') });
    }

    /// <summary>
    /// The generated federation API client of <paramref name="from"/> calling <paramref name="to"/>:
    /// <paramref name="from"/>'s rostered certificate, <paramref name="to"/>'s server pinned by the roster.
    /// </summary>
    public FederationApiClient FederationClient(string from, string to)
    {
        var certificate = NationCertificates.LoadPfx(Path.Combine(_directory, from, $"{from.ToLowerInvariant()}.pfx"));
        var peer = Roster.Nations.Single(n => n.Code == to);
        var http = Track(FederationHttp.Create(certificate, peer));
        return new FederationApiClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http)
        {
            BaseUrl = peer.BaseAddress.GetLeftPart(UriPartial.Authority),
        });
    }

    private HttpClient Track(HttpClient client)
    {
        _clients.Add(client);
        return client;
    }
}
