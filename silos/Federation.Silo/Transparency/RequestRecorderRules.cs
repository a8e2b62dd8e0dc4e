using Federation.Contracts.Jobs;
using Federation.Grains.Jobs;
using Federation.Protocol.Messages;

namespace Federation.Silo.Transparency;

/// <summary>
/// Which cross-border job messages the request recorders log, and how they name them. Every offer and
/// every cancellation (or fence) is logged; a report when its job, epoch and state are new (a state
/// change: queued, running, the result, a give-back) or when its answer refused or fenced it, not each
/// progress report (one every <c>ProgressEvery</c>, 2 s by default); a lease renewal only when it
/// changes something: its answer stops the run (cancel, fenced), the origin refused it, or it was not
/// delivered. At the defaults (lease 30 s, renewed every 10 s) a job running an hour sends 360
/// renewals and up to 1,800 progress reports; logged, that is about five entries a side instead.
/// </summary>
public static class RequestRecorderRules
{
    /// <summary>The <c>message</c> detail of <paramref name="message"/>: offer, report, give-back, renewal, cancellation or fence.</summary>
    public static string MessageName(FederationMessage message) => message switch
    {
        OfferMessage => "offer",
        ReportMessage { Report.State: JobState.Requeued } => "give-back",
        ReportMessage => "report",
        RenewalMessage => "renewal",
        CancellationMessage { Cancellation.Fenced: true } => "fence",
        CancellationMessage => "cancellation",
        _ => throw new ArgumentException($"no request entry for a {message?.GetType().Name ?? "null"}", nameof(message)),
    };

    /// <summary>A job state as the log names it (<c>running</c>, <c>succeeded</c>, ...).</summary>
    public static string StateName(JobState state) => JobEvents.Name(state);

    /// <summary>
    /// How a send ended, as the <c>outcome</c> detail: <c>not-delivered</c>; for an offer <c>admitted</c> or
    /// <c>refused</c>; for a report <c>accepted</c>, <c>rejected</c> or <c>fenced</c>; for a renewal
    /// <c>continue</c>, <c>cancel</c> or <c>fenced</c>; otherwise (a cancellation, an answer without body) <c>delivered</c>.
    /// </summary>
    public static string Outcome(FederationMessage message, Delivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return !delivery.Delivered ? "not-delivered" : Answered(message, delivery.Admission, delivery.ReportAnswer, delivery.LeaseAnswer);
    }

    /// <summary>The outcome of an answer the receiver gave (see <see cref="Outcome"/>); <c>delivered</c> when it has none.</summary>
    public static string Answered(FederationMessage message, Admission? admission, ReportAnswer? report, LeaseAnswer? lease) => message switch
    {
        OfferMessage when admission is { } a => a.Admitted ? "admitted" : "refused",
        ReportMessage when report is { } r => r.Fenced ? "fenced" : r.Accepted ? "accepted" : "rejected",
        RenewalMessage when lease is { } l => l.Verdict switch
        {
            LeaseVerdict.Continue => "continue",
            LeaseVerdict.Cancel => "cancel",
            _ => "fenced",
        },
        _ => "delivered",
    };

    /// <summary>Whether the sender logs an attempt of <paramref name="message"/> that ended with <paramref name="outcome"/> (before the once-only rule).</summary>
    public static bool LogsOut(FederationMessage message, string outcome) =>
        message is not RenewalMessage || outcome is not ("continue" or "delivered");

    /// <summary>
    /// Whether the receiver logs <paramref name="message"/> answered with HTTP <paramref name="status"/> and
    /// <paramref name="outcome"/> (before the once-only rule): a renewal only when refused or stopping the run.
    /// </summary>
    public static bool LogsIn(FederationMessage message, int status, string outcome) =>
        message is not RenewalMessage || status != StatusCodes.Status200OK || outcome is not "continue";

    /// <summary>
    /// The key of the once-only rule: a report of a state not refused or fenced is logged once per job,
    /// epoch and state; anything else once per request id and outcome (a retry of the same message with
    /// the same end adds nothing).
    /// </summary>
    public static string OnceKey(Guid? request, FederationMessage message, string outcome)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message is ReportMessage { Report: var report } && outcome is "accepted" or "delivered" or "not-delivered"
            ? $"state|{report.Job}|{report.Epoch}|{StateName(report.State)}"
            : message is OfferMessage or CancellationMessage && request is { } once
                ? $"request|{once:D}"
                : $"request|{request?.ToString("D") ?? Guid.NewGuid().ToString("D")}|{outcome}";
    }
}
