using Federation.Contracts.Grains;
using Federation.Protocol.Messages;

namespace Federation.Grains.Jobs;

/// <summary>
/// The in-memory side of a grain's outbox: which messages are on their way, and when a message
/// that failed is due again (capped exponential backoff). The messages themselves live in the
/// grain's persisted state; after a restart everything is simply due.
/// </summary>
public sealed class OutboxSender
{
    private readonly Dictionary<Guid, (int Attempts, DateTimeOffset NextAt)> _retries = [];
    private readonly HashSet<Guid> _inFlight = [];
    private readonly Dictionary<Guid, DateTimeOffset> _pending = [];
    private readonly IFederationCourier _courier;
    private readonly IOutboxClient _replyTo;

    /// <summary>A sender through <paramref name="courier"/> that tells <paramref name="replyTo"/> how each send ended; counted in the outbox metrics.</summary>
    public OutboxSender(IFederationCourier courier, IOutboxClient replyTo)
    {
        _courier = courier;
        _replyTo = replyTo;
        Diagnostics.FederationMetrics.Track(this);
    }

    /// <summary>Sends <paramref name="message"/> unless it is already on its way.</summary>
    public void Send(OutboxMessage? message)
    {
        if (message is not null && _inFlight.Add(message.Id))
        {
            lock (_pending)
            {
                _pending.TryAdd(message.Id, message.CreatedAt);
            }

            _courier.Send(message, _replyTo);
        }
    }

    /// <summary>How many messages handed to this sender are not acknowledged yet, and when the oldest was written (read by the metrics, from any thread).</summary>
    public (int Count, DateTimeOffset? Oldest) Pending()
    {
        lock (_pending)
        {
            return (_pending.Count, _pending.Count == 0 ? null : _pending.Values.Min());
        }
    }

    private void Settled(Guid messageId)
    {
        lock (_pending)
        {
            _pending.Remove(messageId);
        }
    }

    /// <summary>Sends every message of <paramref name="outbox"/> that is neither on its way nor waiting out a backoff.</summary>
    public void SendDue(IEnumerable<OutboxMessage> outbox, DateTimeOffset now)
    {
        foreach (var message in outbox.ToList())
        {
            if (!_inFlight.Contains(message.Id) && (!_retries.TryGetValue(message.Id, out var retry) || retry.NextAt <= now))
            {
                Send(message);
            }
        }
    }

    /// <summary>
    /// When the next message of <paramref name="outbox"/> is due to be sent: <paramref name="now"/>
    /// for one neither on its way nor waiting out a backoff, else the end of the earliest backoff;
    /// null when every message is on its way (its end calls the grain back).
    /// </summary>
    public DateTimeOffset? NextDue(IEnumerable<OutboxMessage> outbox, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        DateTimeOffset? due = null;
        foreach (var message in outbox)
        {
            if (_inFlight.Contains(message.Id))
            {
                continue;
            }

            var at = _retries.TryGetValue(message.Id, out var retry) ? retry.NextAt : now;
            if (due is null || at < due)
            {
                due = at;
            }
        }

        return due;
    }

    /// <summary>The send of <paramref name="messageId"/> ended; returns the attempts so far when it failed (0 when delivered).</summary>
    public int Ended(Guid messageId, bool delivered, DateTimeOffset now)
    {
        _inFlight.Remove(messageId);
        if (delivered)
        {
            _retries.Remove(messageId);
            Settled(messageId);
            return 0;
        }

        var attempts = (_retries.TryGetValue(messageId, out var r) ? r.Attempts : 0) + 1;
        _retries[messageId] = (attempts, now + TimeSpan.FromMilliseconds(Math.Min(250 * (1 << Math.Min(attempts, 6)), 10_000)));
        return attempts;
    }

    /// <summary>Forgets every message of <paramref name="messages"/> (an outbox dropped whole).</summary>
    public void ForgetAll(IEnumerable<OutboxMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            Forget(message.Id);
        }
    }

    /// <summary>Forgets <paramref name="messageId"/> (dropped from the outbox).</summary>
    public void Forget(Guid messageId)
    {
        _inFlight.Remove(messageId);
        _retries.Remove(messageId);
        Settled(messageId);
    }
}
