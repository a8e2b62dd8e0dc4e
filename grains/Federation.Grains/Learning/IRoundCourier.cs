using Federation.Contracts.Grains;
using Federation.Contracts.Ids;

namespace Federation.Grains.Learning;

/// <summary>
/// Carries round messages to other nations over the federation API (or to this nation's own grains), and
/// tells the sending grain how each ended (<see cref="IOutboxClient.DeliveredAsync"/>): delivered (the
/// receiver answered; <c>Error</c> set when it refused, which is final) or not (retried by the grain).
/// Never throws into the grain and never runs in its turn.
/// </summary>
public interface IRoundCourier
{
    /// <summary>Sends <paramref name="entry"/> of <paramref name="job"/>'s run; the answer goes to <paramref name="replyTo"/>.</summary>
    void Send(JobRef job, RoundOutboxEntry entry, IOutboxClient replyTo);
}
