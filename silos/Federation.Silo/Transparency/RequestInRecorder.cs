using System.Globalization;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Protocol.Messages;
using Federation.Transparency;

namespace Federation.Silo.Transparency;

/// <summary>
/// The receiving side's <c>federation-request-in</c> entries: job messages a peer sent to this nation's
/// federation API (alone or as a batch entry), as <see cref="RequestRecorderRules"/> selects them. Each is
/// appended after the answer is decided and never awaited by the answer: the decisions themselves
/// (admission, refusal) are logged in the same commit as the state they change, and the request's record
/// must not add a commit to the answer's path. Detail: <c>message</c>, <c>epoch</c> (when the body had
/// one), <c>status</c> (the HTTP status answered), <c>outcome</c> (the answer, as the sender names it;
/// <c>refused</c> for an answer that is not 2xx),
/// <c>request</c> (the Federation-Request-Id or batch entry id, as the sender logs it) and, for a report,
/// <c>state</c>. No person: the sender's identity claims are judged, and logged, by the decisions.
/// Refusals are recorded up to <see cref="TransparencyOptions.RefusalsPerPeerPerMinute"/> per peer; the
/// next one recorded after a burst carries <c>suppressed</c>, the count left out (<see cref="RefusalBudget"/>).
/// </summary>
public sealed class RequestInRecorder
{
    /// <summary>Keys remembered for the once-per-state rule of reports (the oldest are forgotten first).</summary>
    public const int Remembered = 4096;

    private readonly RequestRecorderMemory _memory = new(Remembered);
    private readonly TransparencyRecorder _recorder;
    private readonly RefusalBudget _refusals;

    /// <summary>A recorder with the default refusal budget and the system clock.</summary>
    public RequestInRecorder(TransparencyRecorder recorder)
        : this(recorder, new TransparencyOptions().RefusalsPerPeerPerMinute, TimeProvider.System)
    {
    }

    /// <summary>A recorder that records at most <paramref name="refusalsPerPeerPerMinute"/> refusals of one peer a minute by <paramref name="time"/>.</summary>
    public RequestInRecorder(TransparencyRecorder recorder, int refusalsPerPeerPerMinute, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(refusalsPerPeerPerMinute, 1);
        _recorder = recorder;
        _refusals = new RefusalBudget(refusalsPerPeerPerMinute, time);
    }

    /// <summary>
    /// Starts the entry of <paramref name="message"/> from <paramref name="peer"/>, answered with
    /// <paramref name="result"/>, when the rules log it; the returned task ends when it was appended (or not).
    /// </summary>
    /// <param name="message">The message as received, or null when its body did not pass validation.</param>
    /// <param name="kind">The message's kind when <paramref name="message"/> is null (the route's: offer, report, renewal, cancellation).</param>
    /// <param name="job">The job the body named, as sent (logged only when it is a well-formed reference).</param>
    /// <param name="peer">The sending nation.</param>
    /// <param name="request">The request id, when known.</param>
    /// <param name="result">The answer.</param>
    public Task<LoggedEntry?> Record(FederationMessage? message, string kind, string? job, NationCode peer, Guid? request, IResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
        var answer = (result as IValueHttpResult)?.Value;
        var outcome = message is null || status is < 200 or >= 300
            ? "refused"
            : RequestRecorderRules.Answered(message, answer as Admission, answer as ReportAnswer, answer as LeaseAnswer);
        if (message is not null
            && (!RequestRecorderRules.LogsIn(message, status, outcome)
                || (message is ReportMessage && status == StatusCodes.Status200OK && !_memory.FirstTime(RequestRecorderRules.OnceKey(request, message, outcome)))))
        {
            return Task.FromResult<LoggedEntry?>(null);
        }

        var suppressed = 0L;
        if (outcome == "refused")
        {
            var allowance = _refusals.Take(peer.Value);
            if (!allowance.Record)
            {
                return Task.FromResult<LoggedEntry?>(null);
            }

            suppressed = allowance.SuppressedBefore;
        }

        var detail = new List<KeyValuePair<string, string>>
        {
            new("message", message is null ? kind : RequestRecorderRules.MessageName(message)),
            new("status", status.ToString(CultureInfo.InvariantCulture)),
            new("outcome", outcome),
        };
        if (message is not null)
        {
            detail.Insert(1, new("epoch", message.Epoch.ToString(CultureInfo.InvariantCulture)));
        }

        if (request is { } id)
        {
            detail.Add(new("request", id.ToString("D")));
        }

        if (message is ReportMessage { Report.State: var state })
        {
            detail.Add(new("state", RequestRecorderRules.StateName(state)));
        }

        if (suppressed > 0)
        {
            detail.Add(new("suppressed", suppressed.ToString(CultureInfo.InvariantCulture)));
        }

        var named = message?.Job.ToString() ?? (job is { Length: <= TransparencyEntry.MaxReference } && JobRef.TryParse(job, out var parsed, out _) ? parsed.ToString() : null);
        return AppendAsync(named, peer, detail);
    }

    private async Task<LoggedEntry?> AppendAsync(string? job, NationCode peer, List<KeyValuePair<string, string>> detail)
    {
        try
        {
            return await _recorder.RecordAsync(TransparencyEntryKind.FederationRequestIn, job: job, peer: peer.Value, detail: detail);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The silo is stopping: the request's record is lost with it, the decision's is not.
            return null;
        }
    }
}
