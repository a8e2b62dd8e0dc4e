using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Protocol.Messages;
using static Federation.Lifecycle.Tests.Simulation.FederationSimulation;
using Input = Federation.Lifecycle.Tests.Simulation.SimulationInput<Federation.Protocol.Messages.FederationMessage, Federation.Lifecycle.Tests.Simulation.FederationSimulation.Command>;
using Step = Federation.Lifecycle.Tests.Simulation.SimulationNodeStep<Federation.Lifecycle.Tests.Simulation.FederationSimulation.Nation, Federation.Protocol.Messages.FederationMessage, Federation.Lifecycle.Tests.Simulation.FederationSimulation.Command>;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// What the federation must keep in every run, checked after every step: at most one accepted result
/// per job, and only from the holder of its current epoch; epochs only grow; after lease + grace at
/// most one live run per job; no job lost once acknowledged; a job's events contiguous; a home-only
/// job never offered, admitted or run outside its home.
/// </summary>
public static class FederationSimulationInvariants
{
    /// <summary>Fresh invariants for one run.</summary>
    public static IReadOnlyList<ISimulationInvariant<Nation, FederationMessage, Command>> Create(FederationSimulationSettings settings) =>
    [
        new OneAcceptedResult(),
        new EpochsOnlyGrow(),
        new FederationSimulationLiveRuns(settings.Jobs.Lease + settings.Jobs.Grace),
        new NoJobLost(),
        new EventsContiguous(),
        new HomeOnlyStaysHome(),
    ];

    private abstract class Invariant : ISimulationInvariant<Nation, FederationMessage, Command>
    {
        public abstract string Name { get; }

        public abstract string? AfterStep(ISimulationView<Nation> world, NationCode nation, Input input, Nation before, Step step);

        public virtual string? AtEnd(ISimulationView<Nation> world) => null;
    }

    private sealed class OneAcceptedResult : Invariant
    {
        private readonly Dictionary<JobRef, JobEvent> _final = [];

        public override string Name => "at most one accepted result per job, from its current epoch";

        public override string? AfterStep(ISimulationView<Nation> world, NationCode nation, Input input, Nation before, Step step)
        {
            foreach (var e in step.Events)
            {
                if (e is ReportAccepted r && (r.Epoch != r.HeldEpoch || r.From != r.HeldBy))
                {
                    return $"{r.Job}: a {r.State} report of epoch {r.Epoch} from {r.From} was accepted while epoch {r.HeldEpoch} was held by {r.HeldBy?.ToString() ?? "nobody"}";
                }

                if (e is JobEventRecorded { Event.State: var state } recorded && state.IsFinished() && !_final.TryAdd(recorded.Job, recorded.Event))
                {
                    return $"{recorded.Job} ended twice: {_final[recorded.Job].State} (event {_final[recorded.Job].Sequence}), then {state} (event {recorded.Event.Sequence})";
                }
            }

            return null;
        }
    }

    private sealed class EpochsOnlyGrow : Invariant
    {
        private readonly Dictionary<JobRef, int> _epoch = [];

        public override string Name => "epochs only grow";

        public override string? AfterStep(ISimulationView<Nation> world, NationCode nation, Input input, Nation before, Step step)
        {
            foreach (var e in step.Events)
            {
                if (e is JobEventRecorded recorded)
                {
                    var last = _epoch.GetValueOrDefault(recorded.Job);
                    if (recorded.Event.Epoch < last)
                    {
                        return $"{recorded.Job} went back from epoch {last} to {recorded.Event.Epoch} (event {recorded.Event.Sequence})";
                    }

                    _epoch[recorded.Job] = recorded.Event.Epoch;
                }
            }

            return null;
        }
    }

    private sealed class NoJobLost : Invariant
    {
        private readonly SortedSet<string> _acknowledged = new(StringComparer.Ordinal);

        public override string Name => "no job lost once acknowledged";

        public override string? AfterStep(ISimulationView<Nation> world, NationCode nation, Input input, Nation before, Step step)
        {
            foreach (var e in step.Events)
            {
                if (e is JobAcknowledged acknowledged)
                {
                    _acknowledged.Add(acknowledged.Job.ToString());
                }
            }

            return input is Input.Restarted ? Missing(world, nation) : null;
        }

        public override string? AtEnd(ISimulationView<Nation> world) =>
            world.Nations.Select(n => Missing(world, n)).FirstOrDefault(m => m is not null);

        private string? Missing(ISimulationView<Nation> world, NationCode nation)
        {
            var jobs = world.StateOf(world.IndexOf(nation)).Jobs;
            var prefix = nation + "/";
            var lost = _acknowledged.FirstOrDefault(j => j.StartsWith(prefix, StringComparison.Ordinal) && (!jobs.TryGetValue(j, out var job) || job.Live.Record is null));
            return lost is null ? null : $"job {lost} was acknowledged by {nation} but {nation} no longer has it";
        }
    }

    private sealed class EventsContiguous : Invariant
    {
        private readonly Dictionary<JobRef, long> _last = [];

        public override string Name => "events contiguous";

        public override string? AfterStep(ISimulationView<Nation> world, NationCode nation, Input input, Nation before, Step step)
        {
            foreach (var e in step.Events)
            {
                if (e is JobEventRecorded recorded)
                {
                    var expected = _last.GetValueOrDefault(recorded.Job) + 1;
                    if (recorded.Event.Sequence != expected)
                    {
                        return $"{recorded.Job} recorded event {recorded.Event.Sequence} where {expected} was next";
                    }

                    _last[recorded.Job] = expected;
                }
            }

            if (input is Input.Restarted)
            {
                foreach (var (key, job) in step.State.Jobs)
                {
                    var kept = job.Live.Record?.LastEvent ?? 0;
                    if (_last.TryGetValue(job.Live.Job, out var last) && kept != last)
                    {
                        return $"{key} resumed at event {kept} after a restart, but event {last} had been recorded";
                    }
                }
            }

            return null;
        }
    }

    private sealed class HomeOnlyStaysHome : Invariant
    {
        public override string Name => "a home-only job never runs outside its home";

        public override string? AfterStep(ISimulationView<Nation> world, NationCode nation, Input input, Nation before, Step step)
        {
            foreach (var (to, message, _) in step.Calls ?? [])
            {
                if (message is OfferMessage offer && IsHomeOnly(offer.Job) && to != offer.Job.Origin)
                {
                    return $"home-only {offer.Job} was offered to {to}";
                }
            }

            foreach (var e in step.Events)
            {
                var (job, where) = e switch
                {
                    EpochAdmitted a => (a.Job, a.Nation),
                    ProcessStarted p => (p.Job, p.Nation),
                    _ => (default(JobRef), default(NationCode)),
                };
                if (where != default && IsHomeOnly(job) && where != job.Origin)
                {
                    return $"home-only {job} {(e is EpochAdmitted ? "was admitted" : "started running")} in {where}";
                }
            }

            return null;
        }
    }
}
