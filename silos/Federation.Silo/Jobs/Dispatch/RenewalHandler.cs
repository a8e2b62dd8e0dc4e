using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Protocol.Messages;
using Federation.Protocol.Wire;

namespace Federation.Silo.Jobs.Dispatch;

/// <summary>A lease renewal goes to the job grain at the origin, which answers with a <see cref="LeaseAnswer"/> (keep or stop).</summary>
/// <param name="grains">Where the receiving grains are found.</param>
public sealed class RenewalHandler(IGrainFactory grains) : FederationHandler<RenewalMessage, LeaseAnswer>(grains)
{
    /// <inheritdoc />
    public override string BatchKind => MessageBatchKinds.Renewal;

    /// <inheritdoc />
    public override string Route => FederationRoutes.Leases;

    /// <inheritdoc />
    public override Task<LeaseAnswer> DeliverAsync(NationCode sender, RenewalMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Grains.GetGrain<IJobGrain>(IJobGrain.KeyOf(message.Job)).RenewLeaseAsync(sender, message.Epoch);
    }

    /// <inheritdoc />
    protected override object WireBody(RenewalMessage message) => message.Renewal;

    /// <inheritdoc />
    protected override Delivery Delivered(LeaseAnswer? answer) => new() { Delivered = true, LeaseAnswer = answer };
}
