using Federation.Contracts.Catalogue.Datasets;

namespace Federation.Routing.Trust;

/// <summary>What the receiver of an offer knows of one input's terms: its home's word (signature verified, or its own catalogue), or why it has none.</summary>
/// <param name="Terms">The terms, when known and trusted.</param>
/// <param name="Failure">Why not, naming the dataset; null when <paramref name="Terms"/> is set.</param>
public sealed record InputTerms(DatasetTermsStatement? Terms, string? Failure)
{
    /// <summary>Trusted terms.</summary>
    public static InputTerms Known(DatasetTermsStatement terms) => new(terms, null);

    /// <summary>No trusted terms, and why.</summary>
    public static InputTerms Unknown(string failure) => new(null, failure);
}
