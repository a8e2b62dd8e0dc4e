using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Peers;
using Federation.Execution;
using Federation.Execution.Slurm;
using Federation.Lifecycle.Executions;
using Federation.Reference;
using Microsoft.Extensions.Logging;

namespace Federation.Grains.Execution;

/// <summary>
/// This nation's accelerators per pool: agent-managed pools from the capacity ledger's snapshot
/// (memory of one grain, no storage read), Slurm-managed pools from Slurm's own GRES accounting (<c>scontrol show node</c>), read at most
/// once a second per pool. Adverts and admission both read it.
/// </summary>
public sealed partial class NationCapacity(IGrainFactory grains, ExecutorSettings settings, SlurmPools slurm, TimeProvider time, ILogger<NationCapacity> logger) : IDisposable
{
    private static readonly TimeSpan s_slurmFreshFor = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, (DateTimeOffset At, IReadOnlyList<PoolCapacity> Lines)> _slurmCache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slurmGate = new(1, 1);

    // Resolved once: Orleans resolves a grain interface's type by reading its attributes on every GetGrain.
    private ICapacityLedgerGrain? _ledger;

    private ICapacityLedgerGrain Ledger => _ledger ??= grains.GetGrain<ICapacityLedgerGrain>(ICapacityLedgerGrain.Agents);

    /// <summary>Capacity per pool and model, pools in their configured order.</summary>
    public async Task<IReadOnlyList<PoolCapacity>> ByPoolAsync(CancellationToken cancellationToken = default) =>
        (await ReadAsync(cancellationToken)).Lines;

    /// <summary>Capacity per pool and model as the execution decider reads it, with each model's memory from <paramref name="reference"/>.</summary>
    public async Task<ImmutableArray<PoolLine>> PoolLinesAsync(ReferenceTables reference, CancellationToken cancellationToken = default) =>
        (await ReadingAsync(reference, cancellationToken)).Pools;

    /// <summary>The pool lines (as <see cref="PoolLinesAsync"/>) and the accelerators foreign jobs hold, from one ledger snapshot.</summary>
    public Task<CapacityReading> ReadingAsync(ReferenceTables reference, CancellationToken cancellationToken = default) =>
        ReadingAsync(reference, null, cancellationToken);

    /// <summary>
    /// As <see cref="ReadingAsync(ReferenceTables, CancellationToken)"/>, for deciding <paramref name="claim"/>'s offer
    /// when not null: what foreign jobs hold then also counts the foreign runs admitted that hold nothing yet, and the
    /// offer is counted among them if it fits the foreign share (<see cref="ICapacityLedgerGrain.ClaimForeignAsync"/>).
    /// </summary>
    public async Task<CapacityReading> ReadingAsync(ReferenceTables reference, ForeignClaim? claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var ledger = Ledger;
        var (lines, snapshot) = await ReadAsync(cancellationToken, claim is null ? null : slurmTotal => ledger.ClaimForeignAsync(claim.Holder, claim.Count, claim.MaxShare, slurmTotal));
        return new CapacityReading(
            [.. lines.Select(l => new PoolLine(l.Pool.Name, l.Pool.Kind == NodePoolKind.Slurm, l.Slug, l.Free, l.Total, reference.FindAccelerator(l.Slug)?.MemoryGb ?? 0))],
            snapshot.ForeignHeld);
    }

    /// <summary>
    /// The pool lines as <paramref name="holder"/>, waiting for accelerators, sees them: it is put in line with
    /// <paramref name="claim"/> (<see cref="ICapacityLedgerGrain.WaitAsync"/>), and an agent-managed model's free
    /// count is less what the runs ranked ahead of it want; null <paramref name="claim"/>: as read by everyone.
    /// </summary>
    public async Task<ImmutableArray<PoolLine>> WaitingLinesAsync(ReferenceTables reference, string holder, WaitClaim? claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var ledger = Ledger;
        var (lines, snapshot) = await ReadAsync(cancellationToken, claim is null ? null : _ => ledger.WaitAsync(holder, claim));
        return [.. lines.Select(l => new PoolLine(l.Pool.Name, l.Pool.Kind == NodePoolKind.Slurm, l.Slug, l.Free, l.Total, reference.FindAccelerator(l.Slug)?.MemoryGb ?? 0)
        {
            Ahead = l.Pool.Kind == NodePoolKind.Slurm ? 0 : snapshot.Ahead,
        })];
    }

    /// <summary>Takes <paramref name="holder"/> out of the line for accelerators.</summary>
    public Task LeaveLineAsync(string holder) => Ledger.LeaveAsync(holder);

    /// <summary>The Slurm pools' lines first, then the ledger's snapshot (<paramref name="read"/> given their total), then the lines in pool order.</summary>
    private async Task<(IReadOnlyList<PoolCapacity> Lines, CapacitySnapshot Snapshot)> ReadAsync(CancellationToken cancellationToken, Func<int, Task<CapacitySnapshot>>? read = null)
    {
        var slurmLines = new Dictionary<string, IReadOnlyList<PoolCapacity>>(StringComparer.Ordinal);
        foreach (var pool in settings.Pools.Where(p => p.Kind != NodePoolKind.Agent))
        {
            slurmLines[pool.Name] = await SlurmAsync(pool, cancellationToken);
        }

        var snapshot = await (read is null
            ? Ledger.SnapshotAsync()
            : read(slurmLines.Values.Sum(l => l.Sum(c => c.Total))));
        var lines = new List<PoolCapacity>();
        foreach (var pool in settings.Pools)
        {
            lines.AddRange(pool.Kind == NodePoolKind.Agent
                ? snapshot.Agents.Select(c => new PoolCapacity(pool, c.Slug, c.Free, c.Total))
                : slurmLines[pool.Name]);
        }

        return (lines, snapshot);
    }

    /// <summary>Capacity per model over all pools, as adverts carry it.</summary>
    public async Task<IReadOnlyList<AcceleratorCapacity>> SummarizeAsync(CancellationToken cancellationToken = default) =>
        [.. (await ByPoolAsync(cancellationToken))
            .GroupBy(l => l.Slug)
            .Select(g => new AcceleratorCapacity(g.Key, g.Sum(l => l.Free), g.Sum(l => l.Total)))
            .OrderBy(c => c.Slug.Value, StringComparer.Ordinal)];

    private async Task<IReadOnlyList<PoolCapacity>> SlurmAsync(NodePool pool, CancellationToken cancellationToken)
    {
        await _slurmGate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (_slurmCache.TryGetValue(pool.Name, out var cached) && now - cached.At < s_slurmFreshFor)
            {
                return cached.Lines;
            }

            IReadOnlyList<PoolCapacity> lines;
            try
            {
                var gres = await slurm.Client(pool).GresAsync(pool.Partition, cancellationToken);
                lines = [.. pool.Gres
                    .Select(map => (Slug: AcceleratorSlug.TryParse(map.Key, out var slug, out _) ? slug : (AcceleratorSlug?)null, Line: gres.FirstOrDefault(g => g.Type == map.Value)))
                    .Where(x => x.Line is not null && x.Slug is not null)
                    .Select(x => new PoolCapacity(pool, x.Slug!.Value, Math.Max(0, x.Line!.Total - x.Line.Used), x.Line.Total))];
            }
            catch (SlurmException e)
            {
                // Slurm unreachable: the pool offers nothing until it answers again.
                LogSlurmUnreachable(logger, pool.Name, e.Message);
                lines = [];
            }
            catch (TimeoutException e)
            {
                LogSlurmUnreachable(logger, pool.Name, e.Message);
                lines = [];
            }

            _slurmCache[pool.Name] = (now, lines);
            return lines;
        }
        finally
        {
            _slurmGate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _slurmGate.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slurm pool {Pool} did not answer; it offers no accelerators until it does: {Error}")]
    private static partial void LogSlurmUnreachable(ILogger logger, string pool, string error);
}
