using Federation.Contracts.Grains;
using Federation.Protocol.Messages;

namespace Federation.Grains.Jobs;

/// <summary>
/// Sends a message to a peer nation outside the grain (network I/O never blocks a grain) and
/// reports how it ended to <c>replyTo.DeliveredAsync</c>.
/// </summary>
public interface IFederationCourier
{
    /// <summary>Starts sending <paramref name="message"/>; returns at once.</summary>
    void Send(OutboxMessage message, IOutboxClient replyTo);
}
