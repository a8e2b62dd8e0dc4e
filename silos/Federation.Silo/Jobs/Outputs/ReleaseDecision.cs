using Federation.Contracts.Ids;

namespace Federation.Silo.Jobs.Outputs;

/// <summary>Whether a job's logs or outputs may go to its origin nation, and why.</summary>
/// <param name="Released">True when they may.</param>
/// <param name="TermsUnknown">True when they are withheld only because some input's terms could not be read (ask again later).</param>
/// <param name="Dataset">The input that holds them back, if any.</param>
/// <param name="Reason">Why, naming the dataset, its rule and where to ask instead.</param>
public sealed record ReleaseDecision(bool Released, bool TermsUnknown, DatasetRef? Dataset, string Reason);
