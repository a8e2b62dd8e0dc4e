using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Federation.Fedctl.Local;
using Federation.Protocol;
using Federation.Protocol.Roster;
using Federation.Testing;

namespace Federation.Fuzz.Tests;

/// <summary>
/// FR on PostgreSQL (its own test database, dropped afterwards) and DE embedded, started by the local
/// launcher as real processes with mutual TLS between them: each is fuzzed, its peer's rostered
/// certificate calls its federation API.
/// </summary>
public sealed class FuzzNations : IAsyncLifetime
{
    /// <summary>The PostgreSQL nation.</summary>
    public const string Postgres = "FR";

    /// <summary>The embedded (in-memory) nation.</summary>
    public const string Embedded = "DE";

    /// <summary>The operator token of the PostgreSQL nation (its writes need one).</summary>
    public const string PostgresToken = "fuzz-fr-admin-token";

    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly List<HttpClient> _clients = [];
    private string _directory = null!;
    private LocalFederation _launcher = null!;
    private LocalFederationState _state = null!;
    private RosterDocument _roster = null!;

    /// <summary>FR's database.</summary>
    public PostgresTestDatabase Database { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Database = await PostgresTestDatabase.CreateAsync("fuzz");
        _directory = Directory.CreateTempSubdirectory("fuzz-federation-").FullName;
        _launcher = new LocalFederation(_directory, _output, _error)
        {
            ExtraArguments = new Dictionary<string, IReadOnlyList<string>>
            {
                [Postgres] =
                [
                    $"--Federation:Postgres:ConnectionString={Database.ConnectionString}",
                    "--Federation:Postgres:MigrateOnStart=true",
                    $"--Federation:Auth:AdminTokens:0={PostgresToken}",
                ],
            },
        };
        var silo = Path.Combine(AppContext.BaseDirectory, "Federation.Silo.dll");
        try
        {
            _state = await _launcher.UpAsync([Postgres, Embedded], silo, postgres: null, TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        }
        catch (Exception e)
        {
            await Database.DisposeAsync();
            throw new InvalidOperationException($"The launcher did not start {Postgres} and {Embedded}: {e.Message}\n{_output}\n{_error}", e);
        }

        _roster = RosterDocument.Parse(await File.ReadAllTextAsync(_state.Roster, TestContext.Current.CancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        await _launcher.DownAsync();
        await Database.DisposeAsync();
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

    /// <summary>The launcher's record of <paramref name="code"/>: pid, URLs, log.</summary>
    public LocalNationState Nation(string code) => _state.Nations.Single(n => n.Code == code);

    /// <summary>A user API client of <paramref name="code"/> (with the operator token on the PostgreSQL nation).</summary>
    public HttpClient UserClient(string code)
    {
        var http = new HttpClient { BaseAddress = new Uri(Nation(code).ApiUrl), Timeout = TimeSpan.FromSeconds(60) };
        if (code == Postgres)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PostgresToken);
        }

        _clients.Add(http);
        return http;
    }

    /// <summary>
    /// A federation API client from <paramref name="from"/> to <paramref name="to"/>: <paramref name="from"/>'s
    /// rostered certificate, <paramref name="to"/>'s server accepted only by its roster pin.
    /// </summary>
    public HttpClient FederationClient(string from, string to)
    {
        var certificate = NationCertificates.LoadPfx(Path.Combine(_directory, from, $"{from.ToLowerInvariant()}.pfx"));
        var peer = _roster.Nations.Single(n => n.Code == to);
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,

                // Nations are pinned, not named: the host name (127.0.0.1) is not checked.
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && peer.HasPin(Pin(presented)),
            },
        };
        var http = new HttpClient(handler) { BaseAddress = new Uri(peer.BaseAddress.GetLeftPart(UriPartial.Authority)), Timeout = TimeSpan.FromSeconds(60) };
        _clients.Add(http);
        return http;
    }

    private static string Pin(X509Certificate presented)
    {
        if (presented is X509Certificate2 certificate)
        {
            return SpkiPin.Compute(certificate);
        }

        using var copy = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        return SpkiPin.Compute(copy);
    }
}
