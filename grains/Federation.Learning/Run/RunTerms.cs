using System.Collections.Immutable;
using System.Security.Cryptography;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using AggregationRule = Federation.Learning.Aggregation.AggregationRule;
using Federation.Learning.Protocol;
using Federation.Learning.Quantisation;
using Federation.Learning.Round;

namespace Federation.Learning.Run;

/// <summary>
/// The fixed terms of a federated run, from the job's plan and spec: who aggregates, who contributes
/// (with the federation key each one's adverts must verify under), how many rounds, the stopping rule,
/// the round policy, and how updates are encoded. Checked at construction; bad values name the field.
/// </summary>
public sealed class RunTerms
{
    /// <summary>Attempts of one round (each with fresh keys) before the run stops.</summary>
    public const int MaxAttempts = 100;

    /// <summary>The most rounds a spec may ask for.</summary>
    public const int MaxRounds = 1000;

    /// <summary>Checks and creates the terms.</summary>
    public RunTerms(
        JobRef job, NationCode aggregator, IReadOnlyDictionary<NationCode, ECDsa> contributors, int rounds, double? minLossChange,
        RoundFailurePolicy policy, TimeSpan waitBound, TimeSpan stageTimeout, int modelLength, AggregationRule rule, QuantisationParameters quantisation)
    {
        ArgumentNullException.ThrowIfNull(contributors);
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(quantisation);
        if (job.Id is null)
        {
            throw new ArgumentException("RunTerms.Job must be a parsed job reference.", nameof(job));
        }

        if (contributors.Keys.Count(n => n != aggregator) < RoundConfiguration.MinimumOtherContributors)
        {
            throw new ArgumentException(
                $"RunTerms.Contributors must include at least {RoundConfiguration.MinimumOtherContributors} nations besides the aggregator {aggregator}.", nameof(contributors));
        }

        if (rounds is < 1 or > MaxRounds)
        {
            throw new ArgumentOutOfRangeException(nameof(rounds), rounds, $"RunTerms.Rounds must be 1 to {MaxRounds}.");
        }

        if (minLossChange is { } change && !(double.IsFinite(change) && change > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(minLossChange), minLossChange, "RunTerms.MinLossChange must be a finite number above 0, or null.");
        }

        if (!Enum.IsDefined(policy))
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "RunTerms.Policy must be Wait, SkipNation or Stop.");
        }

        if (waitBound <= TimeSpan.Zero || stageTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(waitBound), "RunTerms.WaitBound and RunTerms.StageTimeout must be positive.");
        }

        if (modelLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(modelLength), modelLength, "RunTerms.ModelLength must be at least 1.");
        }

        Job = job;
        Aggregator = aggregator;
        Contributors = contributors;
        Rounds = rounds;
        MinLossChange = minLossChange;
        Policy = policy;
        WaitBound = waitBound;
        StageTimeout = stageTimeout;
        ModelLength = modelLength;
        Rule = rule;
        Quantisation = quantisation;
    }

    /// <summary>The federated job.</summary>
    public JobRef Job { get; }

    /// <summary>The nation that relays messages, learns only the sum and holds the global model.</summary>
    public NationCode Aggregator { get; }

    /// <summary>The data nations, each with its federation public key.</summary>
    public IReadOnlyDictionary<NationCode, ECDsa> Contributors { get; }

    /// <summary>The most rounds.</summary>
    public int Rounds { get; }

    /// <summary>With the validation-loss rule: stop when the loss changes by less than this between rounds; null to run every round.</summary>
    public double? MinLossChange { get; }

    /// <summary>What a round does when too few nations remain.</summary>
    public RoundFailurePolicy Policy { get; }

    /// <summary>The longest the run goes without a completed round while it waits or skips.</summary>
    public TimeSpan WaitBound { get; }

    /// <summary>How long each secure-aggregation stage waits before going on without missing nations.</summary>
    public TimeSpan StageTimeout { get; }

    /// <summary>The number of model weights.</summary>
    public int ModelLength { get; }

    /// <summary>FedAvg/FedProx and differential privacy.</summary>
    public AggregationRule Rule { get; }

    /// <summary>How updates are quantised before masking.</summary>
    public QuantisationParameters Quantisation { get; }

    /// <summary>Shamir threshold: more than half the contributors, at least 2.</summary>
    public int Threshold => Math.Max(2, (Contributors.Count / 2) + 1);

    /// <summary>The contributors in code order.</summary>
    public ImmutableArray<NationCode> ContributorList =>
        [.. Contributors.Keys.Order(Comparer<NationCode>.Create((a, b) => string.CompareOrdinal(a.Value, b.Value)))];

    /// <summary>
    /// The secure-aggregation key of a round's attempt: each attempt is its own session, so its keys, masks
    /// and signatures are fresh and a message of an earlier attempt is refused as stale.
    /// </summary>
    public RoundKey Session(int round, int attempt) => SessionKey(Job, round, attempt);

    /// <summary>The session key of <paramref name="job"/>'s round and attempt.</summary>
    public static RoundKey SessionKey(JobRef job, int round, int attempt) => new(job, (round * MaxAttempts) + attempt);

    /// <summary>The round and attempt of a session number.</summary>
    public static (int Round, int Attempt) OfSession(RoundKey session) => (session.Round / MaxAttempts, session.Round % MaxAttempts);
}
