using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Protocol.Messages;
using static Federation.Lifecycle.Tests.Simulation.FederationSimulation;
using Input = Federation.Lifecycle.Tests.Simulation.SimulationInput<Federation.Protocol.Messages.FederationMessage, Federation.Lifecycle.Tests.Simulation.FederationSimulation.Command>;
using Step = Federation.Lifecycle.Tests.Simulation.SimulationNodeStep<Federation.Lifecycle.Tests.Simulation.FederationSimulation.Nation, Federation.Protocol.Messages.FederationMessage, Federation.Lifecycle.Tests.Simulation.FederationSimulation.Command>;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// After lease + grace at most one live run per job: once a job's origin has left an epoch
/// (requeued it, offered the next, or ended the job), a process of that epoch may go on running in a
/// nation that is up for at most lease + grace (plus <see cref="Slack"/> for ticks and polls), counted
/// from the leaving or from the process's start if a late offer started it after; a nation that was
/// down (its processes run on without it) gets <see cref="Slack"/> from its restart.
/// </summary>
/// <param name="leaseAndGrace">The origins' lease plus grace.</param>
public sealed class FederationSimulationLiveRuns(TimeSpan leaseAndGrace) : ISimulationInvariant<Nation, FederationMessage, Command>
{
    /// <summary>Time for a tick to notice and a stop to happen.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    private readonly Dictionary<JobRef, int> _current = [];
    private readonly Dictionary<(JobRef Job, int Epoch), TimeSpan> _leftAt = [];
    private readonly Dictionary<NationCode, TimeSpan> _upSince = [];

    /// <inheritdoc />
    public string Name => "after lease + grace at most one live run per job";

    /// <inheritdoc />
    public string? AfterStep(ISimulationView<Nation> world, NationCode nation, Input input, Nation before, Step step)
    {
        foreach (var e in step.Events)
        {
            if (e is JobEventRecorded { Event: var evt } recorded)
            {
                if (_current.TryGetValue(recorded.Job, out var current) && evt.Epoch > current)
                {
                    _leftAt.TryAdd((recorded.Job, current), world.Elapsed);
                }

                _current[recorded.Job] = evt.Epoch;
                if (evt.State.IsFinished() || evt.State == JobState.Requeued)
                {
                    _leftAt.TryAdd((recorded.Job, evt.Epoch), world.Elapsed);
                }
            }
        }

        if (input is Input.Restarted)
        {
            _upSince[nation] = world.Elapsed;
        }

        return input is Input.Ticked ? Check(world) : null;
    }

    /// <inheritdoc />
    public string? AtEnd(ISimulationView<Nation> world) => Check(world);

    private string? Check(ISimulationView<Nation> world)
    {
        for (var n = 0; n < world.Nations.Count; n++)
        {
            if (!world.IsUp(n) || world.Elapsed - _upSince.GetValueOrDefault(world.Nations[n]) <= Slack)
            {
                continue;
            }

            var now = SimulationClock.Start + world.Elapsed + world.SkewOf(n);
            foreach (var (handle, process) in world.StateOf(n).Processes)
            {
                if (!process.RunningAt(now) || !_leftAt.TryGetValue((process.Job, process.Epoch), out var left))
                {
                    continue;
                }

                // A stale offer may still start a run after its origin left the epoch: the bound counts from its start then.
                var started = process.StartedAt - world.SkewOf(n) - SimulationClock.Start;
                var since = started > left ? started : left;
                if (world.Elapsed - since > leaseAndGrace + Slack)
                {
                    return $"process {handle} of {process.Job} epoch {process.Epoch} (started at {started.TotalSeconds:0.###} s) still runs in {world.Nations[n]} {(world.Elapsed - since).TotalSeconds:0.#} s after its origin left that epoch at {left.TotalSeconds:0.###} s (lease + grace {leaseAndGrace.TotalSeconds:0.#} s)";
                }
            }
        }

        return null;
    }
}
