namespace Federation.Silo.Drain;

/// <summary>
/// Where a drain stands: whether the nation drains, and what it still holds — executions running,
/// executions leased (admitted, not over: running or waiting to run), and executions whose reports to
/// their origins are not acknowledged yet. Empty when all three are 0: the nation may leave.
/// </summary>
public sealed record NationDrainStatus
{
    /// <summary>True while the nation drains.</summary>
    public required bool Draining { get; init; }

    /// <summary>True when running executions are given back rather than left to finish.</summary>
    public required bool GiveBack { get; init; }

    /// <summary>The operator's reason; empty when not draining.</summary>
    public required string Reason { get; init; }

    /// <summary>When the drain began.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Executions running now.</summary>
    public required int Running { get; init; }

    /// <summary>Executions holding a lease (running, or admitted and waiting to run).</summary>
    public required int Leased { get; init; }

    /// <summary>Executions over here whose reports their origins have not acknowledged yet.</summary>
    public required int PendingOutbox { get; init; }

    /// <summary>True when nothing is leased and no report is owed.</summary>
    public bool Empty => Leased == 0 && PendingOutbox == 0;

    /// <summary>Executions given back by this request (0 for a read).</summary>
    public int GivenBack { get; init; }

    /// <summary>The executions counted, at most <see cref="NationDrainer.MaxListed"/>.</summary>
    public required IReadOnlyList<DrainedExecution> Executions { get; init; }
}
