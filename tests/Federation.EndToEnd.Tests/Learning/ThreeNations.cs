using Federation.Protocol;
using Federation.Protocol.Roster;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.EndToEnd.Tests.Learning;

/// <summary>
/// Three real in-process silos, FR, DE and SE, on one roster over mutual TLS (the <see cref="TwoNations"/>
/// pattern), each with its services changed last by the caller (fakes of the learning edges).
/// </summary>
public sealed class ThreeNations : IAsyncDisposable
{
    private static readonly string[] s_codes = ["FR", "DE", "SE"];
    private readonly string _directory;

    private ThreeNations(string directory, IReadOnlyDictionary<string, NationUnderTest> nations)
    {
        _directory = directory;
        Nations = nations;
    }

    /// <summary>The nations by code.</summary>
    public IReadOnlyDictionary<string, NationUnderTest> Nations { get; }

    /// <summary>Starts FR, DE and SE with <paramref name="settings"/>; <paramref name="replace"/> changes each nation's services last.</summary>
    public static async Task<ThreeNations> StartAsync(IReadOnlyDictionary<string, string?> settings, Action<string, IServiceCollection> replace)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"three-nations-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var rosterPath = Path.Combine(directory, "roster.json");
        var certificates = s_codes.ToDictionary(c => c, c => NationCertificates.Create(c));
        try
        {
            var pins = certificates.ToDictionary(c => c.Key, c => SpkiPin.Compute(c.Value));
            TwoNations.WriteRoster(rosterPath, new RosterDocument([.. s_codes.Select(c => TwoNations.Entry(c, "https://127.0.0.1:1", pins[c]))]));
            var nations = new Dictionary<string, NationUnderTest>();
            foreach (var code in s_codes)
            {
                nations[code] = await NationUnderTest.StartAsync(code, certificates[code], directory, rosterPath, settings, s => replace(code, s));
            }

            TwoNations.WriteRoster(rosterPath, new RosterDocument([.. s_codes.Select(c => TwoNations.Entry(c, nations[c].FederationUrl, pins[c]))]));
            var three = new ThreeNations(directory, nations);
            await Task.WhenAll(s_codes.SelectMany(observer => s_codes.Select(subject => Eventually.WaitAsync(
                () => Task.FromResult(nations[observer].Roster),
                r => r.Find(subject)?.FederationEndpoint == nations[subject].FederationUrl,
                TimeSpan.FromSeconds(10), $"{observer}'s roster names {subject}'s bound federation URL"))));
            return three;
        }
        finally
        {
            foreach (var certificate in certificates.Values)
            {
                certificate.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var nation in Nations.Values)
        {
            await nation.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary directory.
        }
    }
}
