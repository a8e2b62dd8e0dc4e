using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;

namespace Federation.Routing.Trust;

/// <summary>
/// The receiving nation's check of an offer's inputs before it admits: every input needs terms its
/// home vouches for, its residency must allow this nation, and its data-use conditions must allow the
/// job's purpose processed here. The same residency and data-use rules as the router's. Pure.
/// </summary>
public static class OfferInputCheck
{
    /// <summary>Every reason to refuse <paramref name="spec"/> in <paramref name="receiver"/> on <paramref name="today"/>; empty when its inputs allow it.</summary>
    /// <param name="spec">The job offered.</param>
    /// <param name="receiver">The nation that would run it.</param>
    /// <param name="today">The date of the decision (time-limited data use).</param>
    /// <param name="terms">What the receiver knows of each input's terms; an input missing here has no terms.</param>
    public static ImmutableArray<string> Check(JobSpec spec, NationCode receiver, DateOnly today, IReadOnlyDictionary<DatasetRef, InputTerms> terms)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(terms);
        var reasons = ImmutableArray.CreateBuilder<string>();
        Purpose? purpose = null;
        foreach (var input in spec.Inputs.IsDefault ? [] : spec.Inputs)
        {
            if (!terms.TryGetValue(input, out var known) || known.Terms is not { } stated)
            {
                reasons.Add(known?.Failure ?? $"dataset {input}: no terms signed by {input.Nation} came with the offer");
                continue;
            }

            if (stated.Dataset != input)
            {
                reasons.Add($"dataset {input}: the terms describe {stated.Dataset}");
                continue;
            }

            var (allowed, why) = ResidencyCheck.Allows(stated.Residency, input, receiver);
            if (!allowed)
            {
                reasons.Add(why);
            }

            purpose ??= Purpose.Of(spec, receiver, today);
            foreach (var unmet in DataUseMatcher.Check(stated.DataUse, purpose.Value).Reasons)
            {
                reasons.Add($"dataset {input}: {unmet.Text}");
            }
        }

        return reasons.ToImmutable();
    }
}
