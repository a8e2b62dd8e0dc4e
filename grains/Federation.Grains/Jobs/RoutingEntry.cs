using System.Globalization;
using Federation.Contracts.Routing;
using Federation.Lifecycle.Jobs;
using Federation.Transparency;

namespace Federation.Grains.Jobs;

/// <summary>
/// The <c>routing-decision</c> entry of a job's step, when the step took one: a submission that came
/// with the router's decision and created the job, or a plan the job awaited (a decision, or the
/// planner's failure, which leaves the job waiting). Rejected inputs and repeated submissions take none.
/// </summary>
/// <param name="Job">The job.</param>
/// <param name="Owner">The job's owner (a person: the recorder keeps only its digest).</param>
/// <param name="Chosen">The nation chosen; null when the job waits.</param>
/// <param name="Detail">
/// <c>chosen</c> (the nation, or <c>wait</c>), <c>reason</c> (the decision's summary, or why no plan
/// was made), <c>candidates</c> (nations considered) and <c>feasible</c> (those ranked).
/// </param>
public sealed record RoutingEntry(string Job, string Owner, string? Chosen, IReadOnlyList<KeyValuePair<string, string>> Detail)
{
    /// <summary>What the detail's <c>chosen</c> says when no nation was chosen.</summary>
    public const string Wait = "wait";

    /// <summary>The entry of <paramref name="input"/>'s accepted step from <paramref name="before"/> to <paramref name="after"/>; null when it took no routing decision.</summary>
    public static RoutingEntry? Of(JobInput input, JobLifecycleState before, JobLifecycleState after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (after.Record is not { } record)
        {
            return null;
        }

        var job = after.Job.ToString();
        var owner = record.Spec.Owner.User;
        return input switch
        {
            SubmitJob { Decision: { } decision } when before.Record is null => From(job, owner, decision),
            PlanCompleted { Decision: { } decision } => From(job, owner, decision),
            PlanCompleted { Failure: var failure } => new RoutingEntry(job, owner, null,
                [new("chosen", Wait), new("reason", $"cannot plan now ({failure ?? "no reason given"})"), new("candidates", "0"), new("feasible", "0")]),
            _ => null,
        };
    }

    /// <summary>Appends this entry through <paramref name="recorder"/> (the append is issued before the first await).</summary>
    public Task<LoggedEntry?> RecordAsync(IDecisionRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        return recorder.RecordAsync(TransparencyEntryKind.RoutingDecision, job: Job, peer: Chosen, subject: Owner, detail: Detail);
    }

    private static RoutingEntry From(string job, string owner, RoutingDecision decision)
    {
        var candidates = decision.Candidates.IsDefault ? [] : decision.Candidates;
        var chosen = decision.Chosen?.Value;
        return new RoutingEntry(job, owner, chosen,
        [
            new("chosen", chosen ?? Wait),
            new("reason", Clip(decision.Summary)),
            new("candidates", candidates.Length.ToString(CultureInfo.InvariantCulture)),
            new("feasible", candidates.Count(c => c.Rank is not null).ToString(CultureInfo.InvariantCulture)),
        ]);
    }

    private static string Clip(string text)
    {
        var printable = new string([.. (text ?? string.Empty).Select(c => char.IsControl(c) ? ' ' : c)]);
        return printable.Length > TransparencyEntry.MaxDetailValue ? printable[..TransparencyEntry.MaxDetailValue] : printable;
    }
}
