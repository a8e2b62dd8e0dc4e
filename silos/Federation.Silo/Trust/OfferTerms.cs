using System.Collections.Immutable;
using Federation.Contracts.Catalogue;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Grains.Nations;

namespace Federation.Silo.Trust;

/// <summary>The origin's side: the signed terms of an offer's inputs whose home is not the receiver.</summary>
public sealed class OfferTerms(IGrainFactory grains, LocalNation local, TermsSigner signer, ForeignTerms foreign)
{
    /// <summary><paramref name="offer"/> with the signed terms of every input whose home is not <paramref name="receiver"/>, as far as they can be had.</summary>
    public async Task<JobOffer> AttachAsync(JobOffer offer, NationCode receiver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var attached = ImmutableArray.CreateBuilder<SignedDatasetTerms>();
        foreach (var input in (offer.Spec.Inputs.IsDefault ? [] : offer.Spec.Inputs).Distinct())
        {
            if (input.Nation == receiver)
            {
                continue;
            }

            SignedDatasetTerms? terms;
            if (input.Nation == local.Code)
            {
                var record = await grains.GetGrain<IDatasetGrain>(input.Dataset.GrainKey).GetAsync();
                terms = record is { Status: CatalogueStatus.Active } ? signer.Sign(record) : null;
            }
            else
            {
                terms = await foreign.GetAsync(input, cancellationToken);
            }

            if (terms is not null)
            {
                attached.Add(terms);
            }
        }

        return offer with { InputTerms = attached.ToImmutable() };
    }
}
