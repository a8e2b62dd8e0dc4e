using System.Collections.Immutable;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;

namespace Federation.Grains.Jobs;

/// <summary>An execution's calls to the capacity ledger: allocation on agent-managed nodes, what a Slurm run holds, and release.</summary>
/// <param name="grains">The grain factory.</param>
/// <param name="time">The clock of the pauses between attempts at a release.</param>
public sealed class NodeAllocator(IGrainFactory grains, TimeProvider? time = null)
{
    /// <summary>Attempts at a release, a second apart, before it is given up: a lost release keeps the accelerators held until the ledger's audit finds the run over.</summary>
    public const int ReleaseAttempts = 10;

    private static readonly TimeSpan s_releaseRetry = TimeSpan.FromSeconds(1);

    private ICapacityLedgerGrain? _ledger;

    // Resolved once per allocator: Orleans resolves a grain interface's type by reading its attributes on every GetGrain.
    private ICapacityLedgerGrain Ledger => _ledger ??= grains.GetGrain<ICapacityLedgerGrain>(ICapacityLedgerGrain.Agents);

    /// <summary>Takes <paramref name="count"/> accelerators of <paramref name="slug"/> for <paramref name="holder"/>, the freest nodes first; null (and nothing held) when they are not there.</summary>
    public Task<ImmutableSortedDictionary<string, int>?> AllocateAsync(string holder, AcceleratorSlug slug, int count) =>
        Ledger.AllocateAsync(holder, slug, count);

    /// <summary>Records that <paramref name="holder"/>'s run holds <paramref name="count"/> x <paramref name="slug"/> in <paramref name="pool"/>, which allocates itself (Slurm).</summary>
    public Task HoldAsync(string holder, string pool, AcceleratorSlug slug, int count) =>
        Ledger.HoldAsync(holder, pool, slug, count);

    /// <summary>Forgets <paramref name="holder"/> in line and among the foreign runs admitted and coming (refused, or stopped waiting).</summary>
    public Task ForgetAsync(string holder) => Ledger.LeaveAsync(holder);

    /// <summary>
    /// Releases whatever <paramref name="holder"/> holds, asking again while the ledger does not answer (it moves
    /// when its silo stops; a failed write is undone): releasing twice is releasing once.
    /// </summary>
    public async Task ReleaseAsync(string holder)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Ledger.ReleaseAsync(holder);
                return;
            }
            catch (Exception e) when (attempt < ReleaseAttempts && e is not OutOfMemoryException)
            {
                await Task.Delay(s_releaseRetry, time ?? TimeProvider.System);
            }
        }
    }
}
