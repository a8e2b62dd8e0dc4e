using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Protocol.Messages;

namespace Federation.Grains.Diagnostics;

/// <summary>
/// The federation's own metrics (meter <see cref="MeterName"/>), recorded where the decisions are made
/// and served by the silo at <c>GET /metrics</c> (docs/telemetry.md). Tags hold rule names, states and
/// nation codes only, never a job id or a person (so the series stay few).
/// </summary>
public static class FederationMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Federation";

    private static readonly Meter s_meter = new(MeterName, "1.0");

    private static readonly ConcurrentDictionary<string, PeerHealth> s_peers = new(StringComparer.Ordinal);

    private static readonly Counter<long> s_transitions = s_meter.CreateCounter<long>(
        "federation.job.transitions", "{job}", "Jobs of this origin entering a state, by state.");

    private static readonly Counter<long> s_admissions = s_meter.CreateCounter<long>(
        "federation.admissions", "{decision}", "Admission decisions of this nation on offers, by outcome (admitted, refused), rule and origin nation.");

    private static readonly Histogram<double> s_routing = s_meter.CreateHistogram<double>(
        "federation.routing.decision.duration", "ms", "Time of one routing decision (the pure router's plan of one job).");

    private static readonly Counter<double> s_energy = s_meter.CreateCounter<double>(
        "federation.job.energy", "kWh", "Energy of the finished jobs of this origin (accelerators x power x PUE, transfers included).");

    private static readonly Counter<double> s_emissions = s_meter.CreateCounter<double>(
        "federation.job.emissions", "gCO2e", "Emissions of the finished jobs of this origin.");

    private static readonly Counter<long> s_leaseExpiries = s_meter.CreateCounter<long>(
        "federation.lease.expiries", "{lease}", "Leases of this origin's jobs that expired (no renewal within lease + grace), by the executing nation that lost them.");

    private static readonly Counter<long> s_auditReleased = s_meter.CreateCounter<long>(
        "federation.capacity.audit.released", "{entry}", "Capacity ledger entries released by the ledger's audit because their execution was over: releases that were lost.");

    private static readonly ConditionalWeakTable<Jobs.OutboxSender, object?> s_outboxes = [];

    static FederationMetrics()
    {
        s_meter.CreateObservableGauge(
            "federation.peers",
            () => Enum.GetValues<PeerHealth>().Select(h => new Measurement<int>(s_peers.Values.Count(p => p == h), new KeyValuePair<string, object?>("health", h.ToString().ToLowerInvariant()))),
            "{nation}",
            "Peer nations by health, as last evaluated by the peer grains this silo hosts.");
        s_meter.CreateObservableGauge(
            "federation.outbox.depth",
            () => s_outboxes.Sum(o => o.Key.Pending().Count),
            "{message}",
            "Federation messages written to the outboxes of the grains this silo hosts and not yet acknowledged by their peer.");
        s_meter.CreateObservableGauge(
            "federation.outbox.oldest.age",
            () => s_outboxes.Select(o => o.Key.Pending().Oldest).Where(t => t is not null).Select(t => (DateTimeOffset.UtcNow - t!.Value).TotalSeconds).DefaultIfEmpty(0).Max(),
            "s",
            "Age of the oldest unacknowledged message in the outboxes of the grains this silo hosts (0 when none).");
    }

    /// <summary>Counts <paramref name="outbox"/>'s unacknowledged messages in the outbox gauges while its grain lives.</summary>
    public static void Track(Jobs.OutboxSender outbox) => s_outboxes.AddOrUpdate(outbox, null);

    /// <summary>A job step wrote <paramref name="sent"/>: each fence for an expired lease is counted, by the nation that lost it.</summary>
    public static void LeasesExpired(IEnumerable<OutboxMessage> sent)
    {
        ArgumentNullException.ThrowIfNull(sent);
        foreach (var message in sent)
        {
            if (message.Message is CancellationMessage { Cancellation: { Fenced: true, Reason: var reason } }
                && reason.StartsWith(Lifecycle.Jobs.JobLifecycle.LeaseExpiredReason, StringComparison.Ordinal))
            {
                s_leaseExpiries.Add(1, new KeyValuePair<string, object?>("nation", message.To.Value));
            }
        }
    }

    /// <summary>The capacity ledger's audit released <paramref name="count"/> entries of executions that were over.</summary>
    public static void LedgerAuditReleased(int count) => s_auditReleased.Add(count);

    /// <summary>The peer grain of <paramref name="nation"/> evaluated its health as <paramref name="health"/>.</summary>
    public static void PeerReported(string nation, PeerHealth health) => s_peers[nation] = health;

    /// <summary>A step of a job of this origin from <paramref name="before"/> to <paramref name="after"/>: counted when it entered another state.</summary>
    public static void JobStepped(JobRecord? before, JobRecord? after)
    {
        if (after is not null && after.State != before?.State)
        {
            JobEntered(after.State, after.Result);
        }
    }

    /// <summary>A job of this origin entered <paramref name="state"/>; a finished one adds its energy and emissions.</summary>
    public static void JobEntered(JobState state, JobResult? result)
    {
        var tag = new KeyValuePair<string, object?>("state", Name(state));
        s_transitions.Add(1, tag);
        if (state.IsFinished() && result is not null)
        {
            if (result.EnergyKwh is { } kwh && double.IsFinite(kwh) && kwh >= 0)
            {
                s_energy.Add(kwh, tag);
            }

            if (result.EmissionsGco2e is { } grams && double.IsFinite(grams) && grams >= 0)
            {
                s_emissions.Add(grams, tag);
            }
        }
    }

    /// <summary>This nation decided an offer from <paramref name="origin"/>: admitted (<paramref name="rule"/> null) or refused by <paramref name="rule"/>.</summary>
    public static void AdmissionDecided(string origin, string? rule) =>
        s_admissions.Add(1,
            new KeyValuePair<string, object?>("outcome", rule is null ? "admitted" : "refused"),
            new KeyValuePair<string, object?>("rule", rule ?? "none"),
            new KeyValuePair<string, object?>("origin", origin));

    /// <summary>One routing decision took <paramref name="elapsed"/>.</summary>
    public static void RoutingDecided(TimeSpan elapsed) => s_routing.Record(elapsed.TotalMilliseconds);

    private static string Name(JobState state) => state.ToString().ToLowerInvariant();
}
