namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// The event queue of a simulated run: events ordered by (time, sequence), so that events due at the
/// same instant run in the order they were scheduled and a seed replays exactly.
/// </summary>
/// <typeparam name="TEvent">What is scheduled.</typeparam>
public sealed class SimulationScheduler<TEvent>
{
    private readonly PriorityQueue<TEvent, (long Ticks, long Sequence)> _queue = new();
    private long _sequence;

    /// <summary>Events waiting.</summary>
    public int Count => _queue.Count;

    /// <summary>Schedules <paramref name="item"/> at <paramref name="at"/> (time since the run's start).</summary>
    public void Schedule(TimeSpan at, TEvent item) => _queue.Enqueue(item, (at.Ticks, _sequence++));

    /// <summary>Takes the earliest event, if any.</summary>
    public bool TryTake(out TimeSpan at, out TEvent item)
    {
        if (_queue.TryDequeue(out var taken, out var priority))
        {
            at = TimeSpan.FromTicks(priority.Ticks);
            item = taken;
            return true;
        }

        at = default;
        item = default!;
        return false;
    }

    /// <summary>When the earliest event is due, if any.</summary>
    public bool TryPeekTime(out TimeSpan at)
    {
        if (_queue.TryPeek(out _, out var priority))
        {
            at = TimeSpan.FromTicks(priority.Ticks);
            return true;
        }

        at = default;
        return false;
    }
}
