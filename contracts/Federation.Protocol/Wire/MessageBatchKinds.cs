namespace Federation.Protocol.Wire;

/// <summary>The <see cref="MessageBatchEntry.Kind"/> of each job message, and the single route it stands for.</summary>
public static class MessageBatchKinds
{
    /// <summary>An offer (the body of <c>POST /federation/v1/jobs/offers</c>).</summary>
    public const string Offer = "offer";

    /// <summary>An execution report or give-back (the body of <c>POST /federation/v1/jobs/reports</c>).</summary>
    public const string Report = "report";

    /// <summary>A lease renewal (the body of <c>POST /federation/v1/jobs/leases</c>).</summary>
    public const string Renewal = "renewal";

    /// <summary>A cancellation or fence (the body of <c>POST /federation/v1/jobs/cancellations</c>).</summary>
    public const string Cancellation = "cancellation";

    /// <summary>Every kind, as a receiver names them in a problem.</summary>
    public static IReadOnlyList<string> All { get; } = [Offer, Report, Renewal, Cancellation];
}
