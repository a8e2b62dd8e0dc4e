namespace Federation.Protocol.Rounds;

/// <summary>The federation API route of round messages, under <c>/federation/v1</c>, and which side each kind goes to.</summary>
public static class RoundRoutes
{
    /// <summary><c>POST</c>: one <see cref="RoundMessageDocument"/>.</summary>
    public const string MessagesPath = "/rounds/messages";

    /// <summary>The kinds the aggregator sends to a contributor; every other kind goes to the aggregator.</summary>
    public static IReadOnlySet<string> ToContributor { get; } =
        new HashSet<string>(["roundStart", "relayedAdverts", "relayedShares", "unmaskingRequest", "invitation", "runEnded"], StringComparer.Ordinal);

    /// <summary>True when a message of <paramref name="kind"/> goes to the job's contributor (its participant), false when to the aggregator.</summary>
    public static bool GoesToContributor(string kind) => ToContributor.Contains(kind);
}
