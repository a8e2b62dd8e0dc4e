using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Nations;
using Federation.Silo.Demo;
using Federation.Silo.Options;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Hosting;

/// <summary>
/// Runs once the Orleans silo has started: initialises the nation profile from configuration,
/// seeds the demo catalogue in a demo nation, then marks the silo ready.
/// </summary>
public sealed partial class NationStartup(
    IGrainFactory grains,
    IOptions<FederationOptions> options,
    StartupState state,
    DemoSettings demoSettings,
    DemoCatalogue demo,
    ILogger<NationStartup> logger) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var profile = await grains.GetGrain<INationGrain>(INationGrain.Key).InitialiseAsync(FromOptions(options.Value.Nation));
        LogNation(logger, profile.Code.Value, profile.Name, profile.Version);
        if (demoSettings.Active)
        {
            await demo.SeedAsync(profile.Code, cancellationToken);
        }

        state.MarkReady();
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The profile that configuration describes (validated already).</summary>
    public static NationProfile FromOptions(NationOptions o)
    {
        var code = TypedId.Parse<NationCode>(o.Code);
        return new NationProfile
        {
            Code = code,
            Name = o.Name ?? code.Value,
            Pue = o.Pue,
            GridZone = o.GridZone ?? code.Value,
            ApiEndpoint = o.ApiEndpoint,
            FederationEndpoint = o.FederationEndpoint,
            Policies = new NationPolicies(
                o.DefaultResidency == "anywhere" ? new Residency(ResidencyKind.Anywhere, []) : Residency.HomeOnly,
                o.DefaultVisibility == "private" ? Visibility.Private : Visibility.Public,
                o.MaxForeignShare),
        };
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Nation {Code} ({Name}) profile at version {Version}")]
    private static partial void LogNation(ILogger logger, string code, string name, int version);
}
