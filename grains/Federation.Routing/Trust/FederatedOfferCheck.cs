using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;

namespace Federation.Routing.Trust;

/// <summary>
/// The aggregating nation's check of a federated job's inputs before it admits: its inputs are not processed
/// here (each is trained at home), so instead of <see cref="OfferInputCheck"/> every input needs terms its home
/// vouches for, and this nation must be allowed to receive the updates under each input's export policy and
/// data-use conditions, with enough other contributors: the router's own rule (<see cref="Router.AggregatorRefusals"/>). Pure.
/// </summary>
public static class FederatedOfferCheck
{
    /// <summary>Every reason to refuse aggregating <paramref name="spec"/> in <paramref name="receiver"/> on <paramref name="today"/>; empty when it may.</summary>
    /// <param name="spec">The federated job offered.</param>
    /// <param name="receiver">The nation that would aggregate it.</param>
    /// <param name="today">The date of the decision (time-limited data use).</param>
    /// <param name="terms">What the receiver knows of each input's terms; an input missing here has no terms.</param>
    /// <exception cref="ArgumentException">The job is not federated.</exception>
    public static ImmutableArray<string> Check(JobSpec spec, NationCode receiver, DateOnly today, IReadOnlyDictionary<DatasetRef, InputTerms> terms)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(terms);
        if (spec.Federated is null)
        {
            throw new ArgumentException("the job is not federated: check its inputs with OfferInputCheck", nameof(spec));
        }

        var reasons = ImmutableArray.CreateBuilder<string>();
        var inputs = new List<InputDataset>();
        foreach (var input in spec.Inputs.IsDefault ? [] : spec.Inputs)
        {
            if (!terms.TryGetValue(input, out var known) || known.Terms is not { } stated)
            {
                reasons.Add(known?.Failure ?? $"dataset {input}: no terms signed by {input.Nation} came with the offer");
            }
            else if (stated.Dataset != input)
            {
                reasons.Add($"dataset {input}: the terms describe {stated.Dataset}");
            }
            else
            {
                inputs.Add(new InputDataset(input, stated.Residency, stated.DataUse, 0) { Exports = stated.Exports });
            }
        }

        if (reasons.Count > 0)
        {
            return reasons.ToImmutable();
        }

        if (inputs.Count == 0)
        {
            return ["a federated job needs input datasets: its local steps run where they live"];
        }

        return [.. Router.AggregatorRefusals(spec, receiver, inputs, today).Select(e => $"{char.ToLowerInvariant(e.Rule.ToString()[0])}{e.Rule.ToString()[1..]}: {e.Reason}")];
    }
}
