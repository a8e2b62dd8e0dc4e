using System.Collections.Immutable;
using Federation.Contracts.Jobs;
using Federation.Lifecycle.Shares;

namespace Federation.Silo.Shares;

/// <summary>A run counted as holding accelerators here: whose it is, how many it holds and until when at most.</summary>
/// <param name="Account">Its origin, consortium and tier.</param>
/// <param name="User">Its owner.</param>
/// <param name="Course">Its course (student jobs), if any.</param>
/// <param name="Count">The accelerators it holds.</param>
/// <param name="EndsBy">When its walltime ends: it is held no longer after.</param>
/// <param name="Borrowed">True when it runs on accelerators lent beyond its origin's entitlement.</param>
internal sealed record HeldEntry(UsageAccount Account, string User, string? Course, int Count, DateTimeOffset EndsBy, bool Borrowed);

/// <summary>
/// The runs held here, with the sums admission reads on every offer (per consortium, the student tier's, per student
/// and per course) kept as runs come and go, and the runs whose walltime ended let go in the order they end: an offer
/// costs the same whether ten runs are held or ten thousand. Not thread-safe: the share ledger holds its lock.
/// </summary>
internal sealed class HeldRuns
{
    private readonly Dictionary<string, HeldEntry> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Runs, int Count)> _byConsortium = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _studentByUser = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _studentByCourse = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _ending = new();
    private ImmutableDictionary<string, int>? _consortia;
    private int _studentNoCourse;

    /// <summary>The runs held, by charge key.</summary>
    public IReadOnlyCollection<HeldEntry> Values => _runs.Values;

    /// <summary>Accelerators held by student jobs.</summary>
    public int StudentHeld { get; private set; }

    /// <summary>Accelerators held per consortium (consortia holding none are not in it).</summary>
    public ImmutableDictionary<string, int> ByConsortium =>
        _consortia ??= _byConsortium.ToImmutableDictionary(c => c.Key, c => c.Value.Count, StringComparer.Ordinal);

    /// <summary>Accelerators held by <paramref name="user"/>'s student jobs.</summary>
    public int StudentHeldBy(string user) => _studentByUser.GetValueOrDefault(user);

    /// <summary>Accelerators held by student jobs of <paramref name="course"/> (null: of no course).</summary>
    public int StudentHeldIn(string? course) => course is null ? _studentNoCourse : _studentByCourse.GetValueOrDefault(course);

    /// <summary>Counts <paramref name="run"/> as held under <paramref name="key"/>, in place of what was held under it.</summary>
    public void Set(string key, HeldEntry run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Remove(key);
        _runs[key] = run;
        Tally(run, +1);
        _ending.Enqueue(key, run.EndsBy);
        if (_ending.Count > (2 * _runs.Count) + 1024)
        {
            // Released runs leave their place in the queue behind until their walltime would have ended: start it afresh.
            _ending.Clear();
            _ending.EnqueueRange(_runs.Select(r => (r.Key, r.Value.EndsBy)));
        }
    }

    /// <summary>Stops counting the run of <paramref name="key"/>; false when it was not held.</summary>
    public bool Remove(string key)
    {
        if (!_runs.Remove(key, out var run))
        {
            return false;
        }

        Tally(run, -1);
        return true;
    }

    /// <summary>Lets go of the runs whose walltime ended by <paramref name="now"/>.</summary>
    public void Prune(DateTimeOffset now)
    {
        while (_ending.TryPeek(out var key, out var endsBy) && endsBy <= now)
        {
            _ending.Dequeue();
            if (_runs.TryGetValue(key, out var run) && run.EndsBy <= now)
            {
                Remove(key);
            }
        }
    }

    private void Tally(HeldEntry run, int sign)
    {
        var count = sign * run.Count;
        if (run.Account.Consortium.Length > 0)
        {
            var (runs, held) = _byConsortium.GetValueOrDefault(run.Account.Consortium);
            if (runs + sign == 0)
            {
                _byConsortium.Remove(run.Account.Consortium);
            }
            else
            {
                _byConsortium[run.Account.Consortium] = (runs + sign, held + count);
            }

            _consortia = null;
        }

        if (run.Account.Tier == JobTier.Student)
        {
            StudentHeld += count;
            Add(_studentByUser, run.User, count);
            if (run.Course is { } course)
            {
                Add(_studentByCourse, course, count);
            }
            else
            {
                _studentNoCourse += count;
            }
        }
    }

    private static void Add(Dictionary<string, int> sums, string key, int count)
    {
        var sum = sums.GetValueOrDefault(key) + count;
        if (sum == 0)
        {
            sums.Remove(key);
        }
        else
        {
            sums[key] = sum;
        }
    }
}
