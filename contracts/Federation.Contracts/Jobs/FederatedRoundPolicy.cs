using System.Text.Json.Serialization;

namespace Federation.Contracts.Jobs;

/// <summary>What a round does when a step fails or its nation goes down, and how long it may wait.</summary>
[GenerateSerializer, Immutable, Alias("fed.FederatedRoundPolicy")]
public sealed record FederatedRoundPolicy
{
    /// <summary>Wait, skip the nation, or stop.</summary>
    [Id(0)] public RoundFailurePolicy OnFailure { get; init; }

    /// <summary>The longest a round waits for a nation before it stops (also under SkipNation with too few contributors left).</summary>
    [Id(1), JsonIgnore] public TimeSpan WaitBound { get; init; }

    /// <summary>The wait bound in minutes, as JSON carries it.</summary>
    public double WaitMinutes
    {
        get => WaitBound.TotalMinutes;
        init => WaitBound = TimeSpan.FromMinutes(value);
    }
}
