using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Learning;
using Federation.Learning.Run;

namespace Federation.Grains.Learning;

/// <summary>
/// The invitations a run's coordinator sends when it starts, one per contributor with the job's inputs at
/// home there, and what a refused one does to the run: the round policy decides (stop now, or wait up to
/// its bound for the nation to change its mind, e.g. its steward to grant an export policy).
/// </summary>
public static class RunInvitations
{
    /// <summary>The round message kind of an invitation.</summary>
    public const string Kind = "invitation";

    /// <summary>One invitation per contributor of <paramref name="plan"/> that holds some of its inputs, sent by <paramref name="aggregator"/>; none for a plan without inputs (its contributors join otherwise).</summary>
    public static ImmutableArray<RunEnvelope> Of(FederatedRunPlan plan, NationCode aggregator)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var inputs = plan.Inputs.IsDefault ? [] : plan.Inputs;
        return [.. plan.Contributors
            .Where(n => inputs.Any(i => i.Nation == n))
            .Select(n => new RunEnvelope(aggregator, n, new RunInvitation(plan.Job, aggregator, [.. inputs.Where(i => i.Nation == n)], plan.Terms)
            {
                Purpose = plan.Purpose,
                Owner = plan.Owner,
            }))];
    }

    /// <summary>
    /// The invitation of <paramref name="nation"/> once more (the coordinator asked it to rejoin), unless one to it
    /// is still in <paramref name="outbox"/> (that one keeps being retried until the nation answers).
    /// </summary>
    public static IReadOnlyList<RoundOutboxEntry> Again(FederatedRunPlan plan, NationCode aggregator, NationCode nation, IReadOnlyCollection<RoundOutboxEntry> outbox)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        return outbox.Any(e => e.Kind == Kind && e.To == nation) ? [] : [.. Of(plan, aggregator).Where(e => e.To == nation).Select(RoundOutbox.Entry)];
    }

    /// <summary>True when a delivery's <paramref name="error"/> is the receiver's "no run here" (<c>noRun</c>): locally or in a peer's problem.</summary>
    public static bool SaysNoRun(string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.StartsWith("noRun:", StringComparison.Ordinal) || error.Contains("\"rule\":\"noRun\"", StringComparison.Ordinal)
            || (error.Contains("HTTP 404", StringComparison.Ordinal) && error.Contains("No federated run of", StringComparison.Ordinal));
    }

    /// <summary>The run's phase and reason after <paramref name="nation"/> refused its invitation with <paramref name="refusal"/>.</summary>
    public static (string Phase, string Reason) Refused(FederatedRunPlan plan, NationCode nation, string refusal, TimeSpan waitBound)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var why = $"{nation} refused to take part: {refusal}";
        return plan.Terms.RoundPolicy.OnFailure == RoundFailurePolicy.Stop
            ? ("stopped", $"{why} (the round policy stops the run)")
            : ("awaitingContributors", $"{why}; the round policy waits up to {waitBound.TotalMinutes:0.#} minutes for it");
    }
}
