namespace Federation.Benchmarks.Trace;

/// <summary>One job of the synthetic trace, in whole hours from the trace's start.</summary>
/// <param name="Id">Index in arrival order.</param>
/// <param name="Arrival">Hour it is submitted.</param>
/// <param name="Gpus">Accelerators it needs.</param>
/// <param name="Hours">Run time, whole hours (1 or more).</param>
/// <param name="RunSeconds">Run time drawn before rounding up to hours.</param>
/// <param name="Home">Nation it is submitted to (index into the world's nations).</param>
/// <param name="DataHome">Nation its input lives in.</param>
/// <param name="Allowed">Bit mask of the nations its input's residency allows.</param>
/// <param name="Pinned">True when the residency names nations (not anywhere).</param>
/// <param name="DataBytes">Size of its input.</param>
/// <param name="Consortium">Consortium index; the last one is the student tier.</param>
/// <param name="Deferrable">True when it may wait for a cleaner window.</param>
/// <param name="Deadline">Hour it must be finished by.</param>
internal sealed record TraceJob(
    int Id, int Arrival, int Gpus, int Hours, double RunSeconds, int Home, int DataHome, int Allowed, bool Pinned,
    long DataBytes, int Consortium, bool Deferrable, int Deadline)
{
    /// <summary>Whether the input's residency lets the job run in nation <paramref name="n"/>.</summary>
    public bool Allows(int n) => (Allowed & (1 << n)) != 0;

    /// <summary>True for a job of the student tier.</summary>
    public bool Student(TraceWorld world) => Consortium == world.Consortia.Length - 1;
}
