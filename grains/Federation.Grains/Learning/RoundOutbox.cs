using System.Text.Json;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Json;
using Federation.Learning.Run;

namespace Federation.Grains.Learning;

/// <summary>
/// A run grain's outbox: the persisted entries (the grain's state holds the list) and, in memory, which
/// are on their way and when a failed one is due again (capped exponential backoff). After a restart
/// every entry is simply due.
/// </summary>
public sealed class RoundOutbox(IRoundCourier courier, IOutboxClient replyTo, TimeProvider time)
{
    private static readonly TimeSpan s_first = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_most = TimeSpan.FromSeconds(30);
    private readonly Dictionary<Guid, (int Attempts, DateTimeOffset NextAt)> _retries = [];
    private readonly HashSet<Guid> _inFlight = [];

    /// <summary>The entry of <paramref name="envelope"/>: its wire document as JSON.</summary>
    public static RoundOutboxEntry Entry(RunEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var document = RoundMessageCodec.Write(envelope.From, envelope.Body);
        return new RoundOutboxEntry(Guid.NewGuid(), envelope.To, document.Kind!, JsonSerializer.Serialize(document, FederationJson.Options));
    }

    /// <summary>Sends every entry of <paramref name="entries"/> that is neither on its way nor waiting for its retry time.</summary>
    public void SendDue(JobRef job, IEnumerable<RoundOutboxEntry> entries)
    {
        var now = time.GetUtcNow();
        foreach (var entry in entries)
        {
            if (_retries.TryGetValue(entry.Id, out var retry) && retry.NextAt > now)
            {
                continue;
            }

            if (_inFlight.Add(entry.Id))
            {
                courier.Send(job, entry, replyTo);
            }
        }
    }

    /// <summary>The send of <paramref name="id"/> ended: true when it is done with (delivered or refused), false when it is due again later.</summary>
    public bool Ended(Guid id, bool delivered)
    {
        _inFlight.Remove(id);
        if (delivered)
        {
            _retries.Remove(id);
            return true;
        }

        var attempts = _retries.TryGetValue(id, out var retry) ? retry.Attempts + 1 : 1;
        var wait = TimeSpan.FromTicks(Math.Min(s_most.Ticks, s_first.Ticks << Math.Min(attempts - 1, 10)));
        _retries[id] = (attempts, time.GetUtcNow() + wait);
        return false;
    }
}
