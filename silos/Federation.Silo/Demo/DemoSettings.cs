using Federation.Contracts.Ids;
using Federation.Silo.Hosting;
using Federation.Silo.Options;

namespace Federation.Silo.Demo;

/// <summary>Whether this silo is a demo nation, and where its demo files go.</summary>
/// <param name="Active">Seed the demo catalogue.</param>
/// <param name="SimulateNodes">Heartbeat the demo nodes from the simulated node agent.</param>
/// <param name="DataRoot">The nation's first data root; demo files go to its <c>demo</c> folder.</param>
public sealed record DemoSettings(bool Active, bool SimulateNodes, string DataRoot)
{
    /// <summary>
    /// A demo nation is an embedded silo, or one the local launcher marks; a configured nation
    /// without the mark (a real deployment) never is, whatever else is set.
    /// </summary>
    public static DemoSettings From(FederationOptions options, SiloMode mode, IConfiguration configuration, NationCode nation)
    {
        var active = options.SeedDemoCatalogue && (mode == SiloMode.Embedded || options.DemoNation);
        return new DemoSettings(active, active && options.SimulateDemoNodes, FirstDataRoot(configuration, nation));
    }

    /// <summary>The nation's first data root (<see cref="DataOptions.FirstRoot"/>).</summary>
    public static string FirstDataRoot(IConfiguration configuration, NationCode nation) =>
        (configuration.GetSection(DataOptions.Section).Get<DataOptions>() ?? new DataOptions()).FirstRoot(nation.Value);
}
