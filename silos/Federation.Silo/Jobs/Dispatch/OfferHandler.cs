using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Protocol.Messages;
using Federation.Protocol.Wire;

namespace Federation.Silo.Jobs.Dispatch;

/// <summary>An offer goes to the execution grain of its job and epoch, which answers with an <see cref="Admission"/>.</summary>
/// <param name="grains">Where the receiving grains are found.</param>
public sealed class OfferHandler(IGrainFactory grains) : FederationHandler<OfferMessage, Admission>(grains)
{
    /// <inheritdoc />
    public override string BatchKind => MessageBatchKinds.Offer;

    /// <inheritdoc />
    public override string Route => FederationRoutes.Offers;

    /// <inheritdoc />
    public override Task<Admission> DeliverAsync(NationCode sender, OfferMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Federation.Grains.Jobs.JobStages.Mark(message.Job, "offer.dispatched");
        return Grains.GetGrain<IExecutionGrain>(IExecutionGrain.KeyOf(message.Job, message.Epoch)).OfferAsync(sender, message.Offer);
    }

    /// <inheritdoc />
    protected override object WireBody(OfferMessage message) => message.Offer;

    /// <inheritdoc />
    protected override Delivery Delivered(Admission? answer) => new() { Delivered = true, Admission = answer };
}
