using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Routing.Trust;

namespace Federation.Grains.Jobs;

/// <summary>Checks the signed terms an offer carries for an input held by another nation (the roster's pins live outside grains).</summary>
public interface IInputTermsVerifier
{
    /// <summary>The terms of <paramref name="input"/> among <paramref name="attached"/> whose signature its home's pins verify, or why there are none.</summary>
    InputTerms Verify(DatasetRef input, ImmutableArray<SignedDatasetTerms> attached);
}
