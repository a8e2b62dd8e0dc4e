using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;

namespace Federation.Protocol.Messages;

/// <summary>Which side of a job a federation message is addressed to.</summary>
public enum MessageReceiver
{
    /// <summary>The nation the job was submitted to (reports, renewals, give-backs).</summary>
    Origin,

    /// <summary>The nation offered or running an epoch (offers, cancellations).</summary>
    Executor,
}

/// <summary>
/// One job message between nations: what it carries, the job and epoch it speaks for, the side
/// that receives it and the federation API route it travels on. The wire bodies are the payload
/// records; this hierarchy is what the deciders emit and what the courier and the endpoints
/// dispatch on.
/// </summary>
[GenerateSerializer, Alias("fed.FederationMessage")]
public abstract record FederationMessage
{
    /// <summary>The job.</summary>
    public abstract JobRef Job { get; }

    /// <summary>The epoch the message speaks for.</summary>
    public abstract int Epoch { get; }

    /// <summary>Who receives it.</summary>
    public abstract MessageReceiver Receiver { get; }

    /// <summary>The route under the federation API's base address.</summary>
    public abstract string Route { get; }

    /// <summary>A short name for logs and problem details.</summary>
    public abstract string Kind { get; }
}

/// <summary>The origin offers an epoch of a job to a nation.</summary>
/// <param name="Offer">The offer as it travels.</param>
[GenerateSerializer, Immutable, Alias("fed.OfferMessage")]
public sealed record OfferMessage([property: Id(0)] JobOffer Offer) : FederationMessage
{
    /// <inheritdoc />
    public override JobRef Job => Offer.Job;

    /// <inheritdoc />
    public override int Epoch => Offer.Epoch;

    /// <inheritdoc />
    public override MessageReceiver Receiver => MessageReceiver.Executor;

    /// <inheritdoc />
    public override string Route => FederationRoutes.Offers;

    /// <inheritdoc />
    public override string Kind => "offer";
}

/// <summary>The executing nation reports progress, the result, or gives the epoch back (state requeued).</summary>
/// <param name="Report">The report as it travels.</param>
[GenerateSerializer, Immutable, Alias("fed.ReportMessage")]
public sealed record ReportMessage([property: Id(0)] ExecutionReport Report) : FederationMessage
{
    /// <inheritdoc />
    public override JobRef Job => Report.Job;

    /// <inheritdoc />
    public override int Epoch => Report.Epoch;

    /// <inheritdoc />
    public override MessageReceiver Receiver => MessageReceiver.Origin;

    /// <inheritdoc />
    public override string Route => FederationRoutes.Reports;

    /// <inheritdoc />
    public override string Kind => Report.State == JobState.Requeued ? "give-back" : "report";
}

/// <summary>The executing nation renews its lease on an epoch.</summary>
/// <param name="Renewal">The renewal as it travels.</param>
[GenerateSerializer, Immutable, Alias("fed.RenewalMessage")]
public sealed record RenewalMessage([property: Id(0)] LeaseRenewal Renewal) : FederationMessage
{
    /// <inheritdoc />
    public override JobRef Job => Renewal.Job;

    /// <inheritdoc />
    public override int Epoch => Renewal.Epoch;

    /// <inheritdoc />
    public override MessageReceiver Receiver => MessageReceiver.Origin;

    /// <inheritdoc />
    public override string Route => FederationRoutes.Leases;

    /// <inheritdoc />
    public override string Kind => "lease renewal";
}

/// <summary>The origin stops an epoch (cancelled by a user, or fenced as stale).</summary>
/// <param name="Cancellation">The cancellation as it travels.</param>
[GenerateSerializer, Immutable, Alias("fed.CancellationMessage")]
public sealed record CancellationMessage([property: Id(0)] JobCancellation Cancellation) : FederationMessage
{
    /// <inheritdoc />
    public override JobRef Job => Cancellation.Job;

    /// <inheritdoc />
    public override int Epoch => Cancellation.Epoch;

    /// <inheritdoc />
    public override MessageReceiver Receiver => MessageReceiver.Executor;

    /// <inheritdoc />
    public override string Route => FederationRoutes.Cancellations;

    /// <inheritdoc />
    public override string Kind => Cancellation.Fenced ? "fence" : "cancellation";
}
