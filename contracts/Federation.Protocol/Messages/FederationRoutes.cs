namespace Federation.Protocol.Messages;

/// <summary>The routes of the federation API's job messages, relative to its base address.</summary>
public static class FederationRoutes
{
    /// <summary>Offers, to the executing nation.</summary>
    public const string Offers = "federation/v1/jobs/offers";

    /// <summary>Execution reports and give-backs, to the origin.</summary>
    public const string Reports = "federation/v1/jobs/reports";

    /// <summary>Cancellations and fences, to the executing nation.</summary>
    public const string Cancellations = "federation/v1/jobs/cancellations";

    /// <summary>Lease renewals, to the origin.</summary>
    public const string Leases = "federation/v1/jobs/leases";
}
