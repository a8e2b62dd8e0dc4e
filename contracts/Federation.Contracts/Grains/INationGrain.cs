using Federation.Contracts.Nations;
using Federation.Contracts.Results;
using Orleans.Concurrency;

namespace Federation.Contracts.Grains;

/// <summary>This nation's profile (key: <see cref="Key"/>).</summary>
[Alias("fed.INationGrain"), GrainInterfaceType("fed.INationGrain")]
public interface INationGrain : IGrainWithStringKey
{
    /// <summary>The one key of this grain in a nation's cluster.</summary>
    const string Key = "nation-self";

    /// <summary>The profile, or null before the silo has initialised it. Side-effect free.</summary>
    [Alias("GetAsync"), ReadOnly]
    Task<NationProfile?> GetAsync();

    /// <summary>Sets the profile from configuration at start-up: keeps the stored one when equal.</summary>
    [Alias("InitialiseAsync")]
    Task<NationProfile> InitialiseAsync(NationProfile configured);

    /// <summary>Replaces the profile when <paramref name="expectedVersion"/> is current; the code never changes.</summary>
    [Alias("UpdateAsync")]
    Task<CommandResult<NationProfile>> UpdateAsync(NationProfile profile, int expectedVersion);
}
