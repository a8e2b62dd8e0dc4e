using Federation.Testing;

namespace Federation.Fedctl.Tests;

/// <summary>
/// The embedded silo (FR, no peers) that <see cref="PlanCliTests"/> share: the demo catalogue without
/// its simulated node agent, so that no node is up and nothing can run; and a directory for job files.
/// </summary>
public sealed class PlanCliSilo : IAsyncLifetime
{
    private SiloUnderTest? _silo;

    /// <summary>The silo, started once for the class.</summary>
    public SiloUnderTest Silo => _silo ?? throw new InvalidOperationException("The plan silo has not been started.");

    /// <summary>Where the tests write their job files (each under a name of its own).</summary>
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("fedctl-plan-tests-").FullName;

    /// <inheritdoc />
    public async ValueTask InitializeAsync() =>
        _silo = await SiloUnderTest.StartEmbeddedAsync(seed: true, extra: new Dictionary<string, string?>
        {
            ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
            ["Federation:SimulateDemoNodes"] = "false",
            ["Federation:Data:Roots:0"] = Path.Combine(Directory, "data"),
        });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
