namespace Federation.Silo.Transparency;

/// <summary>
/// How many refused federation requests of one peer the log records individually: at most
/// <c>perMinute</c> in each minute of the peer's own window; the rest are counted, and the next refusal
/// that is recorded carries that count (<c>suppressed</c>), so a hostile or broken peer that sends
/// refused messages under fresh request ids cannot grow this nation's log without bound, and the log
/// still says how many there were. Peers are authenticated nations of the roster, so the table is
/// bounded by the roster.
/// </summary>
internal sealed class RefusalBudget(int perMinute, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, PeerWindow> _peers = new(StringComparer.Ordinal);

    /// <summary>Whether this refusal from <paramref name="peer"/> is recorded, and how many were suppressed before it.</summary>
    public RefusalAllowance Take(string peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_peers.TryGetValue(peer, out var window))
            {
                window = new PeerWindow { Started = now };
                _peers[peer] = window;
            }

            if (now - window.Started >= Window)
            {
                window.Started = now;
                window.Recorded = 0;
            }

            if (window.Recorded >= perMinute)
            {
                window.Suppressed++;
                return new RefusalAllowance(false, 0L);
            }

            window.Recorded++;
            var suppressed = window.Suppressed;
            window.Suppressed = 0;
            return new RefusalAllowance(true, suppressed);
        }
    }

    private sealed class PeerWindow
    {
        public DateTimeOffset Started { get; set; }

        public int Recorded { get; set; }

        public long Suppressed { get; set; }
    }
}

/// <summary>The answer of <see cref="RefusalBudget.Take"/>: record this refusal or not, and the count suppressed since the last recorded one.</summary>
internal readonly record struct RefusalAllowance(bool Record, long SuppressedBefore);
