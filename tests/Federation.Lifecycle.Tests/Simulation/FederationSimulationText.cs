using System.Globalization;
using Federation.Contracts.Jobs;
using Federation.Protocol.Messages;
using static Federation.Lifecycle.Tests.Simulation.FederationSimulation;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>Short readable texts for the federation's messages, answers, commands and events in traces.</summary>
public static class FederationSimulationText
{
    /// <summary>A line's worth about <paramref name="item"/>.</summary>
    public static string Describe(object item) => item switch
    {
        OfferMessage o => $"offer {o.Job}#{o.Epoch}",
        CancellationMessage c => $"{c.Kind} {c.Job}#{c.Epoch} ({c.Cancellation.Reason})",
        ReportMessage r => string.Create(CultureInfo.InvariantCulture, $"{r.Kind} {r.Job}#{r.Epoch} seq {r.Report.Sequence}: {r.Report.State}{(r.Report.Progress is { } p ? $" {p:P0}" : "")}"),
        RenewalMessage n => $"renewal {n.Job}#{n.Epoch}",
        Admission a => $"{(a.Admitted ? "admitted" : "refused")} by {a.Nation} #{a.Epoch}: {a.Reason}",
        ReportAnswer a => $"report {(a.Accepted ? "accepted" : "refused")}{(a.Fenced ? ", fenced" : "")}: {a.Reason}",
        LeaseAnswer a => $"lease {a.Verdict}: {a.Reason}",
        UserSubmits s => $"submit {s.Job} (candidates {string.Join(", ", s.Decision.Candidates.Where(c => c.Rank is not null).OrderBy(c => c.Rank).Select(c => c.Nation))}; runs {FederationSimulationNode.DurationOf(s.Spec).TotalSeconds:0} s)",
        UserCancels c => $"cancel {c.Job}",
        PlanAnswered p => $"plan {p.Job} attempt {p.Attempt}",
        EffectDone e => $"{e.Effect} {e.Execution}",
        OutboxCall c => $"{c.Kind} of {c.Owner}",
        RenewalCall r => $"renewal of {r.Execution}",
        JobEventRecorded e => $"{e.Job} event {e.Event.Sequence}: {e.Event.State} #{e.Event.Epoch} ({e.Event.Message})",
        JobAcknowledged a => $"{a.Job} acknowledged",
        ReportAccepted r => $"{r.Job} accepted {r.State} of #{r.Epoch} from {r.From}",
        EpochAdmitted a => $"admitted {a.Job}#{a.Epoch} in {a.Nation}",
        ProcessStarted p => $"process of {p.Job}#{p.Epoch} started in {p.Nation}",
        ProcessStopped p => $"process of {p.Job}#{p.Epoch} stopped ({p.Why})",
        Rejection r => $"{r.Rule}: {r.Message}",
        bool answer => answer ? "acknowledged" : "refused",
        JobState state => state.ToString(),
        _ => item.ToString() ?? "",
    };
}
