namespace Federation.Benchmarks.Trace;

/// <summary>An online placement policy: for each job in arrival order, a nation and the earliest hour it may start.</summary>
internal interface ITracePolicy
{
    string Name { get; }

    (int Nation, int NotBefore) Place(TraceJob job, TraceSchedule schedule);
}

/// <summary>Run where submitted, as soon as there is room.</summary>
internal sealed class SubmittedPolicy : ITracePolicy
{
    public string Name => "run where submitted";

    public (int Nation, int NotBefore) Place(TraceJob job, TraceSchedule schedule) => (job.Home, job.Arrival);
}

/// <summary>Each job to the next nation in turn, as soon as there is room.</summary>
internal sealed class RoundRobinPolicy : ITracePolicy
{
    private int _next;

    public string Name => "round-robin";

    public (int Nation, int NotBefore) Place(TraceJob job, TraceSchedule schedule) => (_next++ % schedule.World.Nations.Length, job.Arrival);
}

/// <summary>The nation with the lowest intensity at arrival among those the data may go to, ignoring capacity and time.</summary>
internal sealed class GreedyNowPolicy : ITracePolicy
{
    public string Name => "greedy lowest intensity now";

    public (int Nation, int NotBefore) Place(TraceJob job, TraceSchedule schedule)
    {
        var best = job.DataHome;
        for (var n = 0; n < schedule.World.Nations.Length; n++)
        {
            if (job.Allows(n) && schedule.World.Intensity(n, job.Arrival) < schedule.World.Intensity(best, job.Arrival))
            {
                best = n;
            }
        }

        return (best, job.Arrival);
    }
}
