namespace Federation.Benchmarks.Trace;

/// <summary>
/// The replay's fake clock and capacity: GPUs in use per nation and hour. A placed job starts at the first
/// hour from its earliest start where its GPUs are free for its whole run (first fit in time).
/// </summary>
internal sealed class TraceSchedule
{
    private readonly int[][] _used;

    public TraceSchedule(TraceWorld world, int hours)
    {
        World = world;
        _used = [.. world.Nations.Select(_ => new int[hours])];
        Starts = [];
    }

    public TraceWorld World { get; }

    /// <summary>Each placed job's nation and start hour, by job id.</summary>
    public Dictionary<int, (int Nation, int Start)> Starts { get; }

    /// <summary>GPUs free in nation <paramref name="n"/> in hour <paramref name="t"/>.</summary>
    public int Free(int n, int t) => t < _used[n].Length ? World.Gpus[n] - _used[n][t] : World.Gpus[n];

    /// <summary>Jobs placed in <paramref name="n"/> that have not started by hour <paramref name="t"/>.</summary>
    public int Queued(int n, int t) => _queued[n].Count(s => s > t);

    private readonly List<int>[] _queued = [.. Enumerable.Range(0, 8).Select(_ => new List<int>())];

    /// <summary>Places <paramref name="job"/> in <paramref name="n"/> from <paramref name="notBefore"/>; the start hour.</summary>
    public int Place(TraceJob job, int n, int notBefore)
    {
        var used = _used[n];
        var gpus = Math.Min(job.Gpus, World.Gpus[n]);
        for (var s = notBefore; s + job.Hours <= used.Length; s++)
        {
            var fits = true;
            for (var h = s; h < s + job.Hours && fits; h++)
            {
                fits = used[h] + gpus <= World.Gpus[n];
            }

            if (fits)
            {
                for (var h = s; h < s + job.Hours; h++)
                {
                    used[h] += gpus;
                }

                Starts[job.Id] = (n, s);
                _queued[n].RemoveAll(q => q <= notBefore);
                _queued[n].Add(s);
                return s;
            }
        }

        throw new InvalidOperationException($"job {job.Id} found no room in {World.Nations[n]} before the replay's horizon; lengthen it");
    }
}
