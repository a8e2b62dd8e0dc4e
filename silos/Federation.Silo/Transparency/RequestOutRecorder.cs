using System.Globalization;
using Federation.Contracts.Jobs;
using Federation.Protocol.Messages;
using Federation.Transparency;

namespace Federation.Silo.Transparency;

/// <summary>
/// The sending side's <c>federation-request-out</c> entries: job messages this nation's courier sent
/// to another nation, written when an attempt ended (<see cref="RequestRecorderRules"/> says which:
/// every offer and cancellation once, a report once per job, epoch and state, a renewal only when its
/// answer stops the run or it was not delivered). Retries of the same message, which carry the same
/// request id, add none while the silo runs; after a restart the outbox's resend is logged again.
/// Detail: <c>message</c> (<c>offer</c>, <c>report</c>, <c>give-back</c>, <c>renewal</c>,
/// <c>cancellation</c>, <c>fence</c>), <c>epoch</c>, <c>request</c> (the Federation-Request-Id, which
/// the receiver sees too), <c>outcome</c> (<see cref="RequestRecorderRules.Outcome"/>) and, for a report,
/// <c>state</c>; an offer's subject is the job's owner (as its digest).
/// </summary>
public sealed class RequestOutRecorder(TransparencyRecorder recorder)
{
    /// <summary>Keys remembered for the once-only rules (the oldest are forgotten first).</summary>
    public const int Remembered = 4096;

    private readonly RequestRecorderMemory _memory = new(Remembered);

    /// <summary>Appends the entry of <paramref name="message"/>'s attempt that ended with <paramref name="delivery"/>, when the rules log it.</summary>
    /// <returns>The row, or null when nothing was appended (not logged by the rules, already logged, or the append failed).</returns>
    public async Task<LoggedEntry?> RecordAsync(OutboxMessage message, Delivery delivery)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(delivery);
        var sent = message.Message;
        var outcome = RequestRecorderRules.Outcome(sent, delivery);
        if (!RequestRecorderRules.LogsOut(sent, outcome) || !_memory.FirstTime(RequestRecorderRules.OnceKey(message.Id, sent, outcome)))
        {
            return null;
        }

        var detail = new List<KeyValuePair<string, string>>
        {
            new("message", RequestRecorderRules.MessageName(sent)),
            new("epoch", sent.Epoch.ToString(CultureInfo.InvariantCulture)),
            new("request", message.Id.ToString("D")),
            new("outcome", outcome),
        };
        if (sent is ReportMessage { Report.State: var state })
        {
            detail.Add(new("state", RequestRecorderRules.StateName(state)));
        }

        try
        {
            return await recorder.RecordAsync(
                TransparencyEntryKind.FederationRequestOut,
                job: sent.Job.ToString(),
                peer: message.To.Value,
                subject: sent is OfferMessage { Offer: var offer } ? offer.Spec.Owner.User : null,
                detail: detail);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The silo is stopping: the record of the request is lost with it; the receiver's entry is not.
            return null;
        }
    }
}
