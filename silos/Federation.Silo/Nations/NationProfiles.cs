using Federation.Contracts.Grains;
using Federation.Contracts.Nations;
using Federation.Contracts.Results;

namespace Federation.Silo.Nations;

/// <summary>Reads this nation's profile for request handling.</summary>
public static class NationProfiles
{
    /// <summary>The profile; the start-up service initialises it before the API serves.</summary>
    public static async Task<NationProfile> CurrentAsync(IGrainFactory grains) =>
        await grains.GetGrain<INationGrain>(INationGrain.Key).GetAsync()
        ?? throw new StorageUnavailableException("The nation profile is not initialised yet; retry in a moment.");
}
