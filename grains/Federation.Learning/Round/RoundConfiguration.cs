using System.Security.Cryptography;
using Federation.Contracts.Ids;
using Federation.Learning.Protocol;

namespace Federation.Learning.Round;

/// <summary>The fixed terms of one secure-aggregation round, checked at construction.</summary>
public sealed class RoundConfiguration
{
    /// <summary>Contributors besides the aggregating nation that every sum must include.</summary>
    public const int MinimumOtherContributors = 2;

    /// <summary>Checks and creates the configuration; bad values throw naming the property and rule.</summary>
    public RoundConfiguration(
        RoundKey round, NationCode aggregator, IReadOnlyDictionary<NationCode, ECDsa> participants, int threshold,
        int vectorLength, TimeSpan stageTimeout, ShortfallPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(participants);
        var others = participants.Keys.Count(n => n != aggregator);
        if (others < MinimumOtherContributors)
        {
            throw new ArgumentException(
                $"RoundConfiguration.Participants must include at least {MinimumOtherContributors} nations besides the aggregator {aggregator}; it has {others}.", nameof(participants));
        }

        if (threshold < 2 || threshold > participants.Count || threshold <= participants.Count / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold,
                $"RoundConfiguration.Threshold must be above half the participants and at most their number ({(participants.Count / 2) + 1}..{participants.Count}), and at least 2.");
        }

        if (vectorLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(vectorLength), vectorLength, "RoundConfiguration.VectorLength must be at least 1.");
        }

        if (stageTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(stageTimeout), stageTimeout, "RoundConfiguration.StageTimeout must be positive.");
        }

        if (!Enum.IsDefined(policy))
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "RoundConfiguration.Policy must be Wait, Skip or Stop.");
        }

        Round = round;
        Aggregator = aggregator;
        Participants = participants;
        Threshold = threshold;
        VectorLength = vectorLength;
        StageTimeout = stageTimeout;
        Policy = policy;
    }

    /// <summary>The job and round.</summary>
    public RoundKey Round { get; }

    /// <summary>The nation that relays messages and learns the sum; it may also contribute.</summary>
    public NationCode Aggregator { get; }

    /// <summary>Every nation invited to contribute, with the federation public key its adverts must verify under.</summary>
    public IReadOnlyDictionary<NationCode, ECDsa> Participants { get; }

    /// <summary>Shares needed to rebuild a secret; also the fewest nations that may go on at any stage.</summary>
    public int Threshold { get; }

    /// <summary>Length of every quantised input.</summary>
    public int VectorLength { get; }

    /// <summary>How long each stage waits for missing nations before going on without them.</summary>
    public TimeSpan StageTimeout { get; }

    /// <summary>What the round does when too few nations remain.</summary>
    public ShortfallPolicy Policy { get; }
}
