using Federation.Contracts.Learning;

namespace Federation.Grains.Learning;

/// <summary>What a data nation persists of its part in a run: the participation and the outbox. Never a key.</summary>
[GenerateSerializer, Alias("fed.learning.RunParticipantGrainState")]
public sealed class RunParticipantGrainState
{
    /// <summary>The participation; null when this nation takes no part in the job.</summary>
    [Id(0)] public RunParticipation? Participation { get; set; }

    /// <summary>Round messages not yet delivered.</summary>
    [Id(1)] public List<RoundOutboxEntry> Outbox { get; set; } = [];
}
