using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// The types of a toy leased-task protocol that proves the harness: an origin assigns a task's epoch
/// to a nation under a lease, the executor renews and reports done, the origin requeues the task with
/// the next epoch when the lease lapses and fences reports of older epochs. Without fencing, a stale
/// executor's late result is accepted a second time: the planted bug some seed must catch.
/// </summary>
public static class ToySimulation
{
    /// <summary>A message between nations; every one speaks for a task's epoch.</summary>
    public abstract record Message(int Task, int Epoch);

    /// <summary>Origin → executor: run this epoch (for <paramref name="Work"/>).</summary>
    public sealed record Assign(int Task, int Epoch, NationCode Origin, TimeSpan Work) : Message(Task, Epoch);

    /// <summary>Executor → origin: still running, extend my lease.</summary>
    public sealed record Renew(int Task, int Epoch) : Message(Task, Epoch);

    /// <summary>Executor → origin: this epoch's result.</summary>
    public sealed record Done(int Task, int Epoch) : Message(Task, Epoch);

    /// <summary>Origin → executor: stop this epoch, it is fenced.</summary>
    public sealed record Stop(int Task, int Epoch) : Message(Task, Epoch);

    /// <summary>A user's command or a nation's own timer.</summary>
    public abstract record Command;

    /// <summary>A user submits a task to the nation that becomes its origin.</summary>
    public sealed record Submit(int Task, TimeSpan Work) : Command;

    /// <summary>An executor's run of an epoch finishes.</summary>
    public sealed record Finish(int Task, int Epoch) : Command;

    /// <summary>An origin's record of a task.</summary>
    public sealed record OriginTask(int Epoch, NationCode Executor, DateTimeOffset LeaseExpires, TimeSpan Work, int? AcceptedEpoch);

    /// <summary>An executor's record of a run it was assigned.</summary>
    public sealed record Run(NationCode Origin, DateTimeOffset Ends);

    /// <summary>The origin accepted an epoch's result.</summary>
    public sealed record Accepted(int Task, int Epoch);

    /// <summary>The origin moved a task to a new epoch.</summary>
    public sealed record Requeued(int Task, int Epoch, NationCode Executor);

    /// <summary>A nation's whole (persisted) state.</summary>
    public sealed record State(
        ImmutableSortedDictionary<int, OriginTask> Tasks,
        ImmutableSortedDictionary<(int Task, int Epoch), Run> Runs,
        DateTimeOffset LastRenewal)
    {
        /// <summary>A nation that has done nothing yet.</summary>
        public static readonly State Empty = new(
            ImmutableSortedDictionary<int, OriginTask>.Empty,
            ImmutableSortedDictionary<(int Task, int Epoch), Run>.Empty,
            DateTimeOffset.MinValue);
    }
}
