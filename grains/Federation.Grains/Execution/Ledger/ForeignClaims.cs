namespace Federation.Grains.Execution.Ledger;

/// <summary>
/// Foreign runs admitted that do not hold their accelerators yet, and how many each wants: what
/// makes two offers decided at the same moment see each other against the foreign share. A claim
/// lasts until its run takes its accelerators or stops (the ledger drops it), or until its time is
/// up without news of it (a run admitted by a silo that died before its commit). The sum is kept as
/// claims come and go, so that reading it costs nothing per claim. Pure; the caller gives the time.
/// </summary>
public sealed class ForeignClaims
{
    private readonly Dictionary<string, (int Count, DateTimeOffset Until)> _claims = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _ending = new();
    private int _sum;

    /// <summary>Runs claiming now (expired claims may still be counted until the next <see cref="Pending"/>).</summary>
    public int Count => _claims.Count;

    /// <summary>Accelerators claimed by runs other than <paramref name="except"/> whose claims last past <paramref name="now"/>.</summary>
    public int Pending(string? except, DateTimeOffset now)
    {
        Expire(now);
        return _sum - (except is not null && _claims.TryGetValue(except, out var own) ? own.Count : 0);
    }

    /// <summary>Counts <paramref name="count"/> accelerators for <paramref name="holder"/> until <paramref name="until"/> (replacing its claim).</summary>
    public void Claim(string holder, int count, DateTimeOffset until)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Drop(holder);
        _claims[holder] = (count, until);
        _sum += count;
        _ending.Enqueue(holder, until);
        if (_ending.Count > (2 * _claims.Count) + 1024)
        {
            // Replaced claims leave their old times queued: rebuild once they outnumber the live ones.
            _ending.Clear();
            foreach (var (key, claim) in _claims)
            {
                _ending.Enqueue(key, claim.Until);
            }
        }
    }

    /// <summary>Forgets <paramref name="holder"/>'s claim; false when it had none.</summary>
    public bool Drop(string holder)
    {
        if (!_claims.Remove(holder, out var claim))
        {
            return false;
        }

        _sum -= claim.Count;
        return true;
    }

    private void Expire(DateTimeOffset now)
    {
        while (_ending.TryPeek(out var holder, out var until) && until <= now)
        {
            _ending.Dequeue();
            if (_claims.TryGetValue(holder, out var claim) && claim.Until == until)
            {
                Drop(holder);
            }
        }
    }
}
