using System.Globalization;
using Federation.Contracts.Jobs;
using Federation.Protocol.Messages;
using Federation.Transparency;

namespace Federation.Silo.Transparency;

/// <summary>
/// The origin's <c>federation-request-out</c> entries: one per execution offer sent to another
/// nation, written when its first attempt ended (retries of the same message, which carry the same
/// request id, add none while the silo runs; after a restart the outbox's resend is logged again).
/// Detail: <c>message</c> (<c>offer</c>), <c>epoch</c>, <c>request</c> (the Federation-Request-Id,
/// which the receiver sees too) and <c>outcome</c> (<c>admitted</c>, <c>refused</c> or
/// <c>not-delivered</c>); the job's owner is the subject (as its digest).
/// </summary>
public sealed class OfferOutRecorder(TransparencyRecorder recorder)
{
    /// <summary>Request ids remembered for the once-per-offer rule (the oldest are forgotten first).</summary>
    public const int Remembered = 4096;

    private readonly Lock _lock = new();
    private readonly HashSet<Guid> _seen = [];
    private readonly Queue<Guid> _order = new();

    /// <summary>Appends the entry of <paramref name="message"/>'s attempt that ended with <paramref name="delivery"/>, unless it is an offer already logged or not an offer.</summary>
    /// <returns>The row, or null when nothing was appended (not an offer, already logged, or the append failed).</returns>
    public async Task<LoggedEntry?> RecordAsync(OutboxMessage message, Delivery delivery)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(delivery);
        if (message.Message is not OfferMessage { Offer: var offer } || !FirstTime(message.Id))
        {
            return null;
        }

        var outcome = !delivery.Delivered ? "not-delivered" : delivery.Admission is { Admitted: false } ? "refused" : "admitted";
        try
        {
            return await recorder.RecordAsync(
                TransparencyEntryKind.FederationRequestOut,
                job: offer.Job.ToString(),
                peer: message.To.Value,
                subject: offer.Spec.Owner.User,
                detail:
                [
                    new("message", "offer"),
                    new("epoch", offer.Epoch.ToString(CultureInfo.InvariantCulture)),
                    new("request", message.Id.ToString("D")),
                    new("outcome", outcome),
                ]);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The silo is stopping: the record of the request is lost with it; the receiver's entry is not.
            return null;
        }
    }

    private bool FirstTime(Guid id)
    {
        lock (_lock)
        {
            if (!_seen.Add(id))
            {
                return false;
            }

            _order.Enqueue(id);
            if (_order.Count > Remembered)
            {
                _seen.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}
