using Federation.Contracts.Ids;

namespace Federation.Contracts.Jobs;

/// <summary>One change in a job's life, numbered by its origin.</summary>
/// <param name="Sequence">1, 2, 3, ... per job.</param>
/// <param name="At">When the origin recorded it.</param>
/// <param name="State">The job's state after the change.</param>
/// <param name="Epoch">The execution epoch it belongs to (0 before the first offer).</param>
/// <param name="Nation">The nation it concerns (executing or offered), if any.</param>
/// <param name="Message">What happened, for people.</param>
/// <param name="Progress">Share of the work done (0..1), when known.</param>
[GenerateSerializer, Immutable, Alias("fed.JobEvent")]
public sealed record JobEvent(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] JobState State,
    [property: Id(3)] int Epoch,
    [property: Id(4)] NationCode? Nation,
    [property: Id(5)] string Message,
    [property: Id(6)] double? Progress = null);
