using Federation.Contracts.Ids;
using static Federation.Lifecycle.Tests.Simulation.ToySimulation;
using Input = Federation.Lifecycle.Tests.Simulation.SimulationInput<Federation.Lifecycle.Tests.Simulation.ToySimulation.Message, Federation.Lifecycle.Tests.Simulation.ToySimulation.Command>;
using Step = Federation.Lifecycle.Tests.Simulation.SimulationNodeStep<Federation.Lifecycle.Tests.Simulation.ToySimulation.State, Federation.Lifecycle.Tests.Simulation.ToySimulation.Message, Federation.Lifecycle.Tests.Simulation.ToySimulation.Command>;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// A nation of the toy protocol (see <see cref="ToySimulation"/>), both as origin and as executor.
/// With <paramref name="fencing"/> off, the origin accepts results of any epoch: the planted bug.
/// </summary>
public sealed class ToySimulationNode(IReadOnlyList<NationCode> nations, bool fencing) : ISimulationNode<State, Message, Command>
{
    /// <summary>How long an assignment lasts without a renewal.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);

    /// <summary>How often an executor renews its runs.</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(3);

    /// <inheritdoc />
    public State Initial(NationCode nation) => State.Empty;

    /// <inheritdoc />
    public Step Step(NationCode nation, State state, Input input, DateTimeOffset now) => input switch
    {
        Input.Commanded { Command: Submit submit } => Submit(nation, state, submit, now),
        Input.TimerFired { Command: Finish finish } => Finish(state, finish),
        Input.Delivered { Message: Assign assign } => Assign(state, assign, now),
        Input.Delivered { Message: Renew renew } => Renew(state, renew, now),
        Input.Delivered { Message: Done done } => Accept(state, done),
        Input.Delivered { Message: Stop stop } => state.Runs.ContainsKey((stop.Task, stop.Epoch))
            ? new Step(state with { Runs = state.Runs.Remove((stop.Task, stop.Epoch)) }, [], [$"stopped {stop.Task}/{stop.Epoch}"])
            : new Step(state, [], []),
        Input.Replied { Tag: (int task, int epoch), Reply: "fenced" } when state.Runs.ContainsKey((task, epoch)) =>
            new Step(state with { Runs = state.Runs.Remove((task, epoch)) }, [], [$"fenced {task}/{epoch}"]),
        Input.Replied or Input.CallFailed => new Step(state, [], []),
        Input.Ticked => Tick(nation, state, now),
        Input.Restarted => new Step(state, [], [], Timers: [.. state.Runs.Select(run =>
            (Max(run.Value.Ends - now, TimeSpan.Zero), (Command)new Finish(run.Key.Task, run.Key.Epoch)))]),
        _ => Refuse(state, "impossible-input", $"the toy has no rule for {input}"),
    };

    /// <inheritdoc />
    public string Describe(object item) => item.ToString() ?? "";

    private Step Submit(NationCode nation, State state, Submit submit, DateTimeOffset now)
    {
        if (state.Tasks.ContainsKey(submit.Task))
        {
            return Refuse(state, "duplicate-task", $"task {submit.Task} was already submitted");
        }

        var executor = ExecutorOf(submit.Task, 1);
        var task = new OriginTask(1, executor, now + Lease, submit.Work, null);
        return new Step(
            state with { Tasks = state.Tasks.Add(submit.Task, task) },
            [(executor, new Assign(submit.Task, 1, nation, submit.Work))],
            [new Requeued(submit.Task, 1, executor)]);
    }

    private static Step Assign(State state, Assign assign, DateTimeOffset now)
    {
        var key = (assign.Task, assign.Epoch);
        return state.Runs.ContainsKey(key)
            ? new Step(state, [], [])
            : new Step(
                state with { Runs = state.Runs.Add(key, new Run(assign.Origin, now + assign.Work)) },
                [],
                [$"started {assign.Task}/{assign.Epoch}"],
                Timers: [(assign.Work, new Finish(assign.Task, assign.Epoch))]);
    }

    private static Step Finish(State state, Finish finish) =>
        state.Runs.TryGetValue((finish.Task, finish.Epoch), out var run)
            ? new Step(
                state with { Runs = state.Runs.Remove((finish.Task, finish.Epoch)) },
                [(run.Origin, new Done(finish.Task, finish.Epoch))],
                [$"finished {finish.Task}/{finish.Epoch}"])
            : new Step(state, [], []);

    private static Step Renew(State state, Renew renew, DateTimeOffset now)
    {
        if (!state.Tasks.TryGetValue(renew.Task, out var task))
        {
            return Refuse(state, "unknown-task", $"no task {renew.Task} here");
        }

        if (renew.Epoch != task.Epoch)
        {
            return new Step(state, [], [], [new Rejection("stale-epoch", $"renewal of epoch {renew.Epoch}, the task is at epoch {task.Epoch}")], Reply: "fenced");
        }

        return task.AcceptedEpoch is not null
            ? new Step(state, [], [], Reply: "fenced")
            : new Step(state with { Tasks = state.Tasks.SetItem(renew.Task, task with { LeaseExpires = now + Lease }) }, [], [], Reply: "continue");
    }

    private Step Accept(State state, Done done)
    {
        if (!state.Tasks.TryGetValue(done.Task, out var task))
        {
            return Refuse(state, "unknown-task", $"no task {done.Task} here");
        }

        if (fencing && done.Epoch != task.Epoch)
        {
            return Refuse(state, "stale-epoch", $"result of epoch {done.Epoch}, the task is at epoch {task.Epoch}");
        }

        if (task.AcceptedEpoch == done.Epoch)
        {
            return new Step(state, [], []);
        }

        return new Step(
            state with { Tasks = state.Tasks.SetItem(done.Task, task with { AcceptedEpoch = done.Epoch }) },
            [],
            [new Accepted(done.Task, done.Epoch)]);
    }

    private Step Tick(NationCode nation, State state, DateTimeOffset now)
    {
        var send = new List<(NationCode, Message)>();
        var events = new List<object>();
        var tasks = state.Tasks;
        foreach (var (id, task) in state.Tasks)
        {
            if (task.AcceptedEpoch is null && task.LeaseExpires < now)
            {
                var epoch = task.Epoch + 1;
                var executor = ExecutorOf(id, epoch);
                tasks = tasks.SetItem(id, task with { Epoch = epoch, Executor = executor, LeaseExpires = now + Lease });
                send.Add((task.Executor, new Stop(id, task.Epoch)));
                send.Add((executor, new Assign(id, epoch, nation, task.Work)));
                events.Add(new Requeued(id, epoch, executor));
            }
        }

        // Renewals are calls: the origin answers "continue" or "fenced"; a lost one is simply the next one.
        var lastRenewal = state.LastRenewal;
        List<(NationCode, Message, object)>? calls = null;
        if (!state.Runs.IsEmpty && now - state.LastRenewal >= RenewEvery)
        {
            lastRenewal = now;
            calls = [.. state.Runs.Select(run => (run.Value.Origin, (Message)new Renew(run.Key.Task, run.Key.Epoch), (object)run.Key))];
        }

        return send.Count == 0 && lastRenewal == state.LastRenewal
            ? new Step(state, [], [])
            : new Step(state with { Tasks = tasks, LastRenewal = lastRenewal }, send, events, Calls: calls);
    }

    private NationCode ExecutorOf(int task, int epoch) => nations[(task + epoch) % nations.Count];

    private static Step Refuse(State state, string rule, string message) => new(state, [], [], [new Rejection(rule, message)]);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
