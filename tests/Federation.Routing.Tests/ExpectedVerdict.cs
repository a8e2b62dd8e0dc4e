using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Routing.Tests;

/// <summary>What the test oracle expects of one candidate nation, each hard rule evaluated on its own.</summary>
internal sealed record ExpectedVerdict
{
    public required NationCode Nation { get; init; }

    /// <summary>It has advertised and is not unreachable.</summary>
    public required bool Reachable { get; init; }

    /// <summary>It has advertised, and some advertised version is one the router speaks.</summary>
    public required bool SpeaksCommonVersion { get; init; }

    /// <summary>Input datasets (as text) whose residency forbids processing there.</summary>
    public required ImmutableHashSet<string> ResidencyForbids { get; init; }

    /// <summary>Input datasets (as text) whose data-use conditions the purpose does not meet there, with the unmet DUO codes.</summary>
    public required ImmutableDictionary<string, ImmutableHashSet<string>> DataUseUnmet { get; init; }

    /// <summary>Whether its advert offers the workload; null without an advert.</summary>
    public required bool? OffersWorkload { get; init; }

    /// <summary>Its accelerator models that fit the request (model, memory, count); empty without an advert.</summary>
    public required ImmutableArray<ExpectedOption> Fitting { get; init; }

    /// <summary>It has an advert.</summary>
    public bool Advertised => OffersWorkload is not null;

    /// <summary>No hard rule excludes it.</summary>
    public bool Feasible => Reachable && SpeaksCommonVersion && ResidencyForbids.IsEmpty && DataUseUnmet.IsEmpty
        && OffersWorkload == true && Fitting.Any(o => o.Usable);

    /// <summary>The usable model with the lowest total (then slug); null when none is usable.</summary>
    public ExpectedOption? Best => Fitting.Where(o => o.Usable)
        .OrderBy(o => o.Total).ThenBy(o => o.Slug.Value, StringComparer.Ordinal).FirstOrDefault();
}
