using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Fedctl;
using Federation.Fedctl.Local;
using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// The federation a newcomer starts (<c>up FR DE SE</c>, in memory, the launcher's own arguments
/// and nothing else), shared by the tour tests: ready once every nation sees every other one
/// reachable, advertising its simulated accelerators.
/// </summary>
public sealed class DemoTour : IAsyncLifetime
{
    private static readonly TimeSpan s_advertInterval = TimeSpan.FromSeconds(1);

    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private string _directory = null!;
    private LocalFederation _launcher = null!;

    /// <summary>What the launcher started.</summary>
    public LocalFederationState State { get; private set; } = null!;

    /// <summary>The folder of the example job files.</summary>
    public static string Examples { get; } = FindExamples();

    /// <summary>The API base URL of <paramref name="code"/>.</summary>
    public string ApiUrl(string code) => State.Nations.Single(n => n.Code == code).ApiUrl;

    /// <summary>A client of <paramref name="code"/>'s user API.</summary>
    public HttpClient Client(string code) => _clients[code];

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _directory = Directory.CreateTempSubdirectory("demo-tour-").FullName;
        _launcher = new LocalFederation(_directory, _output, _error);
        var silo = Path.Combine(AppContext.BaseDirectory, "Federation.Silo.dll");
        State = await _launcher.UpAsync(["FR", "DE", "SE"], silo, postgres: null, s_advertInterval, ct);
        foreach (var nation in State.Nations)
        {
            _clients[nation.Code] = new HttpClient { BaseAddress = new Uri(nation.ApiUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        }

        foreach (var observer in State.Nations)
        {
            foreach (var subject in State.Nations.Where(n => n.Code != observer.Code))
            {
                await Eventually.WaitAsync(
                    () => FederationFixtures.PeerAsync(Client(observer.Code), subject.Code),
                    p => p?["health"]?.GetValue<string>() == "reachable"
                        && p["lastAdvert"]?["simulated"]?.GetValue<bool>() == true
                        && p["lastAdvert"]?["accelerators"]?.AsArray().Any(a => a!["free"]!.GetValue<int>() > 0) == true,
                    TimeSpan.FromSeconds(60),
                    $"{observer.Code} to see {subject.Code} reachable, advertising free simulated accelerators, with no step but 'up'{Diagnostics()}",
                    TimeSpan.FromMilliseconds(250));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        if (_launcher is not null)
        {
            await _launcher.DownAsync();
        }

        _output.Dispose();
        _error.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>Runs fedctl (as the CLI tests do: the built assembly, in this process) against DE's API.</summary>
    public static async Task<(int Exit, string Output, string Error)> FedctlAsync(string apiUrl, CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["FEDCTL_CONFIG"] = Path.Combine(Path.GetTempPath(), $"fedctl-test-{Guid.NewGuid():N}", "config.json"),
            ["FEDCTL_URL"] = apiUrl,
        };
        var exit = await FedctlApp.RunAsync(args, output, error, TextReader.Null, environment, cancellationToken);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>The job's record in DE, its origin.</summary>
    public async Task<JsonObject> JobAsync(string id) =>
        (await Client("DE").GetFromJsonAsync<JsonObject>($"api/v1/jobs/{id}", TestContext.Current.CancellationToken))!;

    /// <summary>The launcher's output and the end of every silo log, for failure messages.</summary>
    public string Diagnostics()
    {
        var logs = new StringBuilder($"{Environment.NewLine}launcher: {_output}{_error}");
        foreach (var log in Directory.EnumerateFiles(_directory, "*.log", SearchOption.AllDirectories))
        {
            logs.AppendLine().Append(Path.GetRelativePath(_directory, log)).Append(':').AppendLine();
            logs.AppendJoin(Environment.NewLine, JobFederation.ReadShared(log).TakeLast(20));
        }

        return logs.ToString();
    }

    private static string FindExamples()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var examples = Path.Combine(directory.FullName, "examples", "jobs");
            if (Directory.Exists(examples))
            {
                return examples;
            }
        }

        throw new InvalidOperationException($"no examples/jobs folder above {AppContext.BaseDirectory}");
    }
}
