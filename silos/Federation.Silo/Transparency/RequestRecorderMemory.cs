namespace Federation.Silo.Transparency;

/// <summary>
/// A bounded set of keys already logged (the oldest forgotten first), for the request recorders'
/// once-only rules: an offer once per request id, a report once per job, epoch and state.
/// </summary>
internal sealed class RequestRecorderMemory(int capacity)
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>True the first time <paramref name="key"/> is seen (while remembered); it is remembered from now on.</summary>
    public bool FirstTime(string key)
    {
        lock (_lock)
        {
            if (!_seen.Add(key))
            {
                return false;
            }

            _order.Enqueue(key);
            if (_order.Count > capacity)
            {
                _seen.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}
