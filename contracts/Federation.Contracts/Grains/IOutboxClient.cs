using Federation.Contracts.Jobs;

namespace Federation.Contracts.Grains;

/// <summary>A grain with an outbox: told how each send ended, so it can drop or retry the message.</summary>
[Alias("fed.IOutboxClient"), GrainInterfaceType("fed.IOutboxClient")]
public interface IOutboxClient : IGrainWithStringKey
{
    /// <summary>The courier's report on one attempt to send <paramref name="messageId"/>.</summary>
    [Alias("DeliveredAsync")]
    Task DeliveredAsync(Guid messageId, Delivery delivery);
}
