using Federation.Contracts.Ids;

namespace Federation.Grains.Nations;

/// <summary>Which nation this silo belongs to; fixed for the life of the process.</summary>
/// <param name="Code">The nation's code.</param>
public sealed record LocalNation(NationCode Code);
