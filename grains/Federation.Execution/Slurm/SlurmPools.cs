
namespace Federation.Execution.Slurm;

/// <summary>The Slurm-managed pools and a command-line client for each.</summary>
public sealed class SlurmPools
{
    private readonly Dictionary<string, SlurmCli> _clients;
    private readonly Dictionary<string, SlurmJobWatch> _watches;

    /// <summary>Clients for the Slurm pools of <paramref name="settings"/>.</summary>
    public SlurmPools(ExecutorSettings settings)
    {
        _clients = settings.Pools
            .Where(p => p.Kind == NodePoolKind.Slurm)
            .ToDictionary(p => p.Name, p => new SlurmCli(p.SlurmConf!, settings.SlurmCommandTimeout), StringComparer.Ordinal);
        _watches = _clients.ToDictionary(c => c.Key, c => new SlurmJobWatch(c.Value), StringComparer.Ordinal);
        Pools = [.. settings.Pools.Where(p => p.Kind == NodePoolKind.Slurm)];
    }

    /// <summary>The Slurm pools.</summary>
    public IReadOnlyList<NodePool> Pools { get; }

    /// <summary>The client of <paramref name="pool"/>.</summary>
    public SlurmCli Client(NodePool pool) => _clients[pool.Name];

    /// <summary>The watch that answers <paramref name="pool"/>'s job lookups, one Slurm query per round for all of them.</summary>
    public SlurmJobWatch Jobs(NodePool pool) => _watches[pool.Name];
}
