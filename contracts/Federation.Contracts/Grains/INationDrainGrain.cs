using Federation.Contracts.Nations;
using Orleans.Concurrency;

namespace Federation.Contracts.Grains;

/// <summary>Whether this nation drains (key: <see cref="Key"/>); kept in grain storage, so it survives a restart.</summary>
[Alias("fed.INationDrainGrain"), GrainInterfaceType("fed.INationDrainGrain")]
public interface INationDrainGrain : IGrainWithStringKey
{
    /// <summary>The one key of this grain in a nation's cluster.</summary>
    const string Key = "nation-drain";

    /// <summary>The drain as stored. Side-effect free.</summary>
    [Alias("GetAsync"), ReadOnly, AlwaysInterleave]
    Task<NationDrain> GetAsync();

    /// <summary>Starts (or restates) the drain; idempotent for the same arguments. A give-back once asked stays asked until undrained.</summary>
    [Alias("DrainAsync")]
    Task<NationDrain> DrainAsync(bool giveBack, string reason);

    /// <summary>Ends the drain: offers are admitted again; idempotent.</summary>
    [Alias("UndrainAsync")]
    Task<NationDrain> UndrainAsync();
}
