using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Protocol.Messages;
using Federation.Protocol.Wire;

namespace Federation.Silo.Jobs.Dispatch;

/// <summary>
/// A cancellation (or fence) goes to the execution grain of its job and epoch. The grain answers
/// whether it took the cancellation (false: an unknown execution over the pre-offer fence limit,
/// which the endpoint turns into 429); on the wire the answer is 204 with no body.
/// </summary>
/// <param name="grains">Where the receiving grains are found.</param>
public sealed class CancellationHandler(IGrainFactory grains) : FederationHandler<CancellationMessage, bool>(grains)
{
    /// <inheritdoc />
    public override string BatchKind => MessageBatchKinds.Cancellation;

    /// <inheritdoc />
    public override string Route => FederationRoutes.Cancellations;

    /// <inheritdoc />
    public override Type? AnswerType => null;

    /// <inheritdoc />
    public override Task<bool> DeliverAsync(NationCode sender, CancellationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Grains.GetGrain<IExecutionGrain>(IExecutionGrain.KeyOf(message.Job, message.Epoch)).CancelAsync(sender, message.Cancellation);
    }

    /// <inheritdoc />
    protected override object WireBody(CancellationMessage message) => message.Cancellation;

    /// <inheritdoc />
    protected override Delivery Delivered(bool answer) => new() { Delivered = true };
}
