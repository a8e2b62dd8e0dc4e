namespace Federation.Grains.Jobs.Leases;

/// <summary>
/// A grain that keeps one timer (<see cref="DueTimer"/>) backed by its entry in the nation's lease
/// index (<see cref="GrainLeaseEntry"/>), as jobs and executions do: when its activation ends while it
/// still needs waking, the entry is set for when the timer would have fired, so the sweeper brings
/// it back then.
/// </summary>
public abstract class LeasedGrain : Grain
{
    /// <summary>The grain's timer, set on activation.</summary>
    protected DueTimer Due { get; set; } = null!;

    /// <summary>The grain's lease entry, set on activation (none when the activation failed before).</summary>
    protected GrainLeaseEntry? Lease { get; set; }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (Lease is { } lease)
        {
            await lease.LeaveMemoryAsync(reason, Due?.FiresAt, cancellationToken);
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }
}
