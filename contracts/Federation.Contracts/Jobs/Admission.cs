using Federation.Contracts.Ids;

namespace Federation.Contracts.Jobs;

/// <summary>A nation's answer to an offer: its admission is final.</summary>
/// <param name="Nation">The nation that answered.</param>
/// <param name="Epoch">The epoch offered.</param>
/// <param name="Admitted">True when it takes the job.</param>
/// <param name="Reason">Why (always given, also when admitted).</param>
/// <param name="LeaseSeconds">When admitted: the lease the executing nation holds the job under.</param>
[GenerateSerializer, Immutable, Alias("fed.Admission")]
public sealed record Admission(
    [property: Id(0)] NationCode Nation,
    [property: Id(1)] int Epoch,
    [property: Id(2)] bool Admitted,
    [property: Id(3)] string Reason,
    [property: Id(4)] double LeaseSeconds = 0);
