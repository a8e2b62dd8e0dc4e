namespace Federation.Grains.Jobs;

/// <summary>
/// One grain timer armed for the grain's next due time (from its decider's <c>NextDue</c> and its
/// outbox), instead of a timer that ticks for as long as the job lives: a job waiting out a
/// one-hour lease costs no CPU between its messages. The grain arms it again after every step.
/// </summary>
/// <remarks>
/// A due time in the past or closer than <paramref name="shortest"/> fires after
/// <paramref name="shortest"/> (the period of the timer it replaces), which paces work that is due
/// again at once (a launch waiting for capacity, a simulated run's polls). Arming never postpones a
/// timer that would fire earlier: a step may come more often than the shortest delay without
/// starving what is due. A tick that comes early changes nothing and arms the timer again.
/// </remarks>
/// <param name="register">Registers the grain's timer with the given first delay and no period.</param>
/// <param name="shortest">The shortest delay between arming and firing.</param>
/// <param name="time">The grain's clock.</param>
public sealed class DueTimer(Func<TimeSpan, IGrainTimer> register, TimeSpan shortest, TimeProvider time)
{
    private IGrainTimer? _timer;
    private DateTimeOffset? _firesAt;

    /// <summary>When the timer fires next; null when it is not armed.</summary>
    public DateTimeOffset? FiresAt => _firesAt;

    /// <summary>Arms the timer for <paramref name="due"/>, or stops it when nothing is due (null).</summary>
    public void Arm(DateTimeOffset? due)
    {
        if (due is not { } wanted)
        {
            Stop();
            return;
        }

        var now = time.GetUtcNow();
        var at = wanted < now + shortest ? now + shortest : wanted;
        if (_timer is not null && _firesAt is { } armed && armed <= at && armed > now)
        {
            return;
        }

        _firesAt = at;
        if (_timer is null)
        {
            _timer = register(at - now);
        }
        else
        {
            _timer.Change(at - now, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>How long after a tick that failed, leaving the timer unarmed, it fires again; doubled for each failure in a row.</summary>
    public static readonly TimeSpan AfterFailure = TimeSpan.FromSeconds(5);

    /// <summary>The longest delay after failed ticks.</summary>
    public static readonly TimeSpan MostAfterFailures = TimeSpan.FromMinutes(1);

    private int _failures;

    /// <summary>
    /// Runs the grain's tick. When it throws (a state write during a database outage, say) and has not
    /// armed the timer again, arms it for <see cref="AfterFailure"/> from now, doubled for each failure
    /// in a row up to <see cref="MostAfterFailures"/>: the grain keeps its timer rather than waiting for
    /// a wake. The exception goes on to the runtime, which logs it.
    /// </summary>
    public async Task RunAsync(Func<Task> tick)
    {
        ArgumentNullException.ThrowIfNull(tick);
        try
        {
            await tick();
            _failures = 0;
        }
        catch
        {
            var delay = AfterFailure * (1 << Math.Min(_failures++, 4));
            if (_firesAt is null)
            {
                try
                {
                    Arm(time.GetUtcNow() + (delay < MostAfterFailures ? delay : MostAfterFailures));
                }
                catch (ObjectDisposedException)
                {
                    // The activation is going away: nothing to arm.
                }
            }

            throw;
        }
    }

    /// <summary>The timer fired: it is no longer armed until the next <see cref="Arm"/>.</summary>
    public void Fired() => _firesAt = null;

    /// <summary>Stops the timer.</summary>
    public void Stop()
    {
        _timer?.Dispose();
        _timer = null;
        _firesAt = null;
    }

    /// <summary>The earlier of two due times (null is never).</summary>
    public static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
