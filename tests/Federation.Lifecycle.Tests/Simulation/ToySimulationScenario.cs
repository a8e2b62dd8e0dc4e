using Federation.Contracts.Ids;
using static Federation.Lifecycle.Tests.Simulation.ToySimulation;
using Input = Federation.Lifecycle.Tests.Simulation.SimulationInput<Federation.Lifecycle.Tests.Simulation.ToySimulation.Message, Federation.Lifecycle.Tests.Simulation.ToySimulation.Command>;
using Step = Federation.Lifecycle.Tests.Simulation.SimulationNodeStep<Federation.Lifecycle.Tests.Simulation.ToySimulation.State, Federation.Lifecycle.Tests.Simulation.ToySimulation.Message, Federation.Lifecycle.Tests.Simulation.ToySimulation.Command>;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>The toy protocol under simulation: a few tasks submitted at random nations, and its invariants.</summary>
public sealed class ToySimulationScenario(SimulationOptions options, bool fencing) : ISimulationScenario<State, Message, Command>
{
    /// <inheritdoc />
    public ISimulationNode<State, Message, Command> Node { get; } = new ToySimulationNode(options.Nations, fencing);

    /// <inheritdoc />
    public IEnumerable<(TimeSpan At, NationCode Nation, Command Command)> Workload(SimulationRandom random, IReadOnlyList<NationCode> nations, SimulationOptions options)
    {
        var tasks = random.Next(3, 9);
        for (var task = 1; task <= tasks; task++)
        {
            var at = random.Between(TimeSpan.Zero, options.ChaosDuration * 0.8);
            yield return (at, random.Pick(nations), new Submit(task, random.Between(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20))));
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ISimulationInvariant<State, Message, Command>> Invariants() => [new OneAcceptedResult(), new EpochsOnlyGrow()];

    /// <inheritdoc />
    public string? Unsettled(ISimulationView<State> world)
    {
        for (var n = 0; n < world.Nations.Count; n++)
        {
            foreach (var (id, task) in world.StateOf(n).Tasks)
            {
                if (task.AcceptedEpoch is null)
                {
                    return $"task {id} of {world.Nations[n]} is at epoch {task.Epoch} with no result";
                }
            }
        }

        return null;
    }

    private sealed class OneAcceptedResult : ISimulationInvariant<State, Message, Command>
    {
        private readonly Dictionary<int, int> _accepted = [];

        public string Name => "one accepted result per task";

        public string? AfterStep(ISimulationView<State> world, NationCode nation, Input input, State before, Step step)
        {
            foreach (var e in step.Events)
            {
                if (e is Accepted accepted && !_accepted.TryAdd(accepted.Task, accepted.Epoch))
                {
                    return $"task {accepted.Task} accepted a result of epoch {accepted.Epoch} after one of epoch {_accepted[accepted.Task]}";
                }
            }

            return null;
        }

        public string? AtEnd(ISimulationView<State> world) => null;
    }

    private sealed class EpochsOnlyGrow : ISimulationInvariant<State, Message, Command>
    {
        public string Name => "epochs only grow";

        public string? AfterStep(ISimulationView<State> world, NationCode nation, Input input, State before, Step step)
        {
            if (ReferenceEquals(before.Tasks, step.State.Tasks))
            {
                return null;
            }

            foreach (var (id, task) in before.Tasks)
            {
                if (!step.State.Tasks.TryGetValue(id, out var after) || after.Epoch < task.Epoch)
                {
                    return $"task {id} went from epoch {task.Epoch} to {(after is null ? "nothing" : after.Epoch)}";
                }
            }

            return null;
        }

        public string? AtEnd(ISimulationView<State> world) => null;
    }
}
