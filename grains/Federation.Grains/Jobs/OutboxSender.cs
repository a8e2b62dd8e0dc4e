using Federation.Contracts.Grains;
using Federation.Protocol.Messages;

namespace Federation.Grains.Jobs;

/// <summary>
/// The in-memory side of a grain's outbox: which messages are on their way, and when a message
/// that failed is due again (capped exponential backoff). The messages themselves live in the
/// grain's persisted state; after a restart everything is simply due.
/// </summary>
/// <param name="courier">Carries the messages.</param>
/// <param name="replyTo">The grain told how each send ended.</param>
public sealed class OutboxSender(IFederationCourier courier, IOutboxClient replyTo)
{
    private readonly Dictionary<Guid, (int Attempts, DateTimeOffset NextAt)> _retries = [];
    private readonly HashSet<Guid> _inFlight = [];

    /// <summary>Sends <paramref name="message"/> unless it is already on its way.</summary>
    public void Send(OutboxMessage? message)
    {
        if (message is not null && _inFlight.Add(message.Id))
        {
            courier.Send(message, replyTo);
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
            return 0;
        }

        var attempts = (_retries.TryGetValue(messageId, out var r) ? r.Attempts : 0) + 1;
        _retries[messageId] = (attempts, now + TimeSpan.FromMilliseconds(Math.Min(250 * (1 << Math.Min(attempts, 6)), 10_000)));
        return attempts;
    }

    /// <summary>Forgets <paramref name="messageId"/> (dropped from the outbox).</summary>
    public void Forget(Guid messageId)
    {
        _inFlight.Remove(messageId);
        _retries.Remove(messageId);
    }
}
