namespace Federation.Execution.Slurm;

/// <summary>
/// Answers the executions that follow their Slurm jobs with one Slurm query per round instead of one
/// command per job and poll. A lookup that finds no query running starts one at once; lookups that
/// arrive while a query runs wait for the next round, which starts when that query ended and answers
/// them all. So every lookup is answered by a query that started after it was asked (never by an
/// older one), and at most one query per cluster runs at a time however many jobs are followed.
/// </summary>
/// <remarks>
/// A round of one job asks for that job alone (<c>scontrol show job</c>); a round of several asks for
/// every job the cluster knows once (<c>squeue --states=all</c>) and picks them out. A job the answer
/// lacks is one Slurm does not know (any more): null, as for a single lookup. A failed query fails
/// the lookups of its round only; a caller's cancellation ends its own wait, not the query.
/// </remarks>
public sealed class SlurmJobWatch
{
    private readonly Func<string, CancellationToken, Task<SlurmJob?>> _one;
    private readonly Func<CancellationToken, Task<IReadOnlyList<SlurmJob>>> _all;
    private readonly Lock _lock = new();
    private Round? _running;
    private Round? _next;
    private long _queries;
    private long _lookups;

    /// <summary>A watch over <paramref name="slurm"/>'s cluster.</summary>
    public SlurmJobWatch(SlurmCli slurm)
        : this((slurm ?? throw new ArgumentNullException(nameof(slurm))).GetAsync, ct => slurm.ListAsync("", ct))
    {
    }

    /// <summary>A watch over the queries <paramref name="one"/> (one job by id) and <paramref name="all"/> (every job known).</summary>
    public SlurmJobWatch(Func<string, CancellationToken, Task<SlurmJob?>> one, Func<CancellationToken, Task<IReadOnlyList<SlurmJob>>> all)
    {
        _one = one ?? throw new ArgumentNullException(nameof(one));
        _all = all ?? throw new ArgumentNullException(nameof(all));
    }

    /// <summary>Queries run so far (each one Slurm command).</summary>
    public long Queries => Interlocked.Read(ref _queries);

    /// <summary>Lookups asked so far.</summary>
    public long Lookups => Interlocked.Read(ref _lookups);

    /// <summary>The job <paramref name="jobId"/> as a query started after this call sees it; null when Slurm does not know the id.</summary>
    /// <exception cref="SlurmException">The round's query failed.</exception>
    public Task<SlurmJob?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        Interlocked.Increment(ref _lookups);
        Round round;
        var start = false;
        lock (_lock)
        {
            if (_running is null)
            {
                round = _running = new Round();
                start = true;
            }
            else
            {
                round = _next ??= new Round();
            }

            round.Ids.Add(jobId);
        }

        if (start)
        {
            // On the thread pool, not on the scheduler of the grain whose lookup started it: the rounds
            // that follow answer other grains, and must not queue behind this one's turns.
            _ = Task.Run(() => RunAsync(round), CancellationToken.None);
        }

        return AnswerAsync(round, jobId, cancellationToken);
    }

    private static async Task<SlurmJob?> AnswerAsync(Round round, string jobId, CancellationToken cancellationToken) =>
        (await round.Done.Task.WaitAsync(cancellationToken)).GetValueOrDefault(jobId);

    private async Task RunAsync(Round round)
    {
        while (true)
        {
            Interlocked.Increment(ref _queries);
            try
            {
                round.Done.SetResult(await QueryAsync(round.Ids));
            }
            catch (Exception e)
            {
                round.Done.SetException(e);
            }

            lock (_lock)
            {
                _running = _next;
                _next = null;
                if (_running is null)
                {
                    return;
                }

                round = _running;
            }
        }
    }

    // The round's ids no longer change: lookups that came after it started joined the next round.
    private async Task<IReadOnlyDictionary<string, SlurmJob>> QueryAsync(HashSet<string> ids)
    {
        if (ids.Count == 1)
        {
            var id = ids.First();
            return await _one(id, CancellationToken.None) is { } job
                ? new Dictionary<string, SlurmJob>(StringComparer.Ordinal) { [id] = job }
                : new Dictionary<string, SlurmJob>(StringComparer.Ordinal);
        }

        var known = new Dictionary<string, SlurmJob>(StringComparer.Ordinal);
        foreach (var job in await _all(CancellationToken.None))
        {
            if (ids.Contains(job.Id))
            {
                known.TryAdd(job.Id, job);
            }
        }

        return known;
    }

    private sealed class Round
    {
        public HashSet<string> Ids { get; } = new(StringComparer.Ordinal);

        public TaskCompletionSource<IReadOnlyDictionary<string, SlurmJob>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
