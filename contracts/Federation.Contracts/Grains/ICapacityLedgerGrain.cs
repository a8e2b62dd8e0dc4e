using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Ids;
using Orleans.Concurrency;

namespace Federation.Contracts.Grains;

/// <summary>
/// This nation's accelerators and who holds them (key: <see cref="Agents"/>): the agent-managed nodes
/// (model, count, state) and one entry per holder (an execution) in any pool. Allocation and release
/// go through it; admission and adverts read its snapshot.
/// </summary>
[Alias("fed.ICapacityLedgerGrain"), GrainInterfaceType("fed.ICapacityLedgerGrain")]
public interface ICapacityLedgerGrain : IGrainWithStringKey
{
    /// <summary>The key of the ledger of the agent-managed nodes.</summary>
    const string Agents = "ledger-agents";

    /// <summary>Free and total per model and what foreign jobs hold. Side-effect free; no storage read.</summary>
    [Alias("SnapshotAsync"), ReadOnly]
    Task<CapacitySnapshot> SnapshotAsync();

    /// <summary>
    /// The snapshot as the offer of <paramref name="count"/> accelerators for the foreign <paramref name="holder"/> is
    /// decided on: <see cref="CapacitySnapshot.ForeignHeld"/> also counts what the other foreign runs admitted and not
    /// holding yet want. When the offer fits within <paramref name="maxShare"/> of the nation's accelerators (the agent
    /// nodes' and <paramref name="otherTotal"/>, the Slurm pools'), <paramref name="holder"/> is counted among those runs
    /// (in memory) until it takes its accelerators, stops (<see cref="LeaveAsync"/>, <see cref="ReleaseAsync"/>) or a
    /// minute passes without news of it, so that offers decided at the same moment cannot together pass the share.
    /// </summary>
    [Alias("ClaimForeignAsync")]
    Task<CapacitySnapshot> ClaimForeignAsync(string holder, int count, double maxShare, int otherTotal);

    /// <summary>
    /// Takes <paramref name="count"/> accelerators of <paramref name="model"/> for <paramref name="holder"/>
    /// on the freest nodes that are up, all or nothing: node id to count, or null (and nothing held).
    /// The same holder again gets what it holds. A holder in line (<see cref="WaitAsync"/>) gets nothing while the runs ranked
    /// ahead of it want what is free; once it has taken its accelerators it leaves the line.
    /// </summary>
    [Alias("AllocateAsync")]
    Task<ImmutableSortedDictionary<string, int>?> AllocateAsync(string holder, AcceleratorSlug model, int count);

    /// <summary>
    /// Puts <paramref name="holder"/> in line for accelerators with <paramref name="claim"/> (or refreshes its claim; its
    /// place by arrival is kept, across restarts once it has had to wait) and answers the snapshot as it sees it: each
    /// model's free count less what the runs ranked ahead of it want. <see cref="AllocateAsync"/> keeps to the same order.
    /// </summary>
    [Alias("WaitAsync")]
    Task<CapacitySnapshot> WaitAsync(string holder, WaitClaim claim);

    /// <summary>Takes <paramref name="holder"/> out of the line, and out of the foreign runs admitted and coming (it stopped waiting); idempotent.</summary>
    [Alias("LeaveAsync")]
    Task LeaveAsync(string holder);

    /// <summary>Records that <paramref name="holder"/> holds <paramref name="count"/> accelerators of <paramref name="model"/> in <paramref name="pool"/>, allocated by the pool itself (Slurm); idempotent.</summary>
    [Alias("HoldAsync")]
    Task HoldAsync(string holder, string pool, AcceleratorSlug model, int count);

    /// <summary>Gives back whatever <paramref name="holder"/> holds; idempotent.</summary>
    [Alias("ReleaseAsync")]
    Task ReleaseAsync(string holder);

    /// <summary>A node's model, count or state changed (registered, up, draining, down, updated).</summary>
    [Alias("NodeChangedAsync")]
    Task NodeChangedAsync(NodeId node, AcceleratorSlug model, int count, NodeState nodeState);

    /// <summary>Removes the node unless it holds allocations: empty when removed, else what is held on it (and it stays).</summary>
    [Alias("RemoveNodeAsync")]
    Task<ImmutableArray<Allocation>> RemoveNodeAsync(NodeId node);

    /// <summary>What is held on each of <paramref name="nodes"/> (nodes holding nothing are left out). Side-effect free.</summary>
    [Alias("HoldingsAsync"), ReadOnly]
    Task<ImmutableDictionary<string, ImmutableArray<Allocation>>> HoldingsAsync(ImmutableArray<string> nodes);

    /// <summary>
    /// Asks the holders of the next batch of entries held for <c>Federation:Executor:LedgerAuditSeconds</c> or more
    /// whether they are over, and releases what the ones that are over hold (a release that was lost); returns how
    /// many were released. The ledger runs it that often on its own.
    /// </summary>
    [Alias("AuditHoldersAsync")]
    Task<int> AuditHoldersAsync();
}
