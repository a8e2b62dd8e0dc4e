using System.Globalization;
using Federation.Contracts.Peers;

namespace Federation.Routing.Trust;

/// <summary>
/// Bounds on the monotonic fields of a peer's advert, so that one bad advert cannot silence a peer:
/// <c>issuedAt</c> must lie within a clock-skew window of the receiver's clock; sequences are compared
/// only within one sender epoch (a higher epoch, a restart, replaces); and a last accepted advert that
/// nothing has replaced for <c>resyncAfter</c> no longer blocks a valid one, whatever its numbers.
/// Pure: the receiver's time is an argument.
/// </summary>
public static class AdvertBounds
{
    /// <summary>Why <paramref name="issuedAt"/> is outside the window around <paramref name="now"/>; null when inside.</summary>
    public static string? CheckIssuedAt(DateTimeOffset issuedAt, DateTimeOffset now, TimeSpan clockSkew)
    {
        var offset = issuedAt - now;
        if (offset.Duration() <= clockSkew)
        {
            return null;
        }

        var direction = offset > TimeSpan.Zero ? "ahead of" : "behind";
        return string.Create(CultureInfo.InvariantCulture,
            $"must be within {Seconds(clockSkew)} of the receiver's clock ({Time(now)}); {Time(issuedAt)} is {Seconds(offset.Duration())} {direction} it");
    }

    /// <summary>Why <paramref name="senderEpoch"/> is not a sender epoch; null when it is.</summary>
    public static string? CheckSenderEpoch(long senderEpoch) =>
        senderEpoch >= 1 ? null : $"is required: the sender's run, 1 or more (got {senderEpoch})";

    /// <summary>
    /// Whether <paramref name="incoming"/> (already within bounds) replaces <paramref name="last"/>, the advert
    /// accepted at <paramref name="lastAcceptedAt"/>, with the reason either way.
    /// </summary>
    public static (bool Replaces, string Reason) Supersedes(
        CapabilityAdvert incoming, CapabilityAdvert? last, DateTimeOffset? lastAcceptedAt, DateTimeOffset now, TimeSpan resyncAfter)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        if (last is null || lastAcceptedAt is null)
        {
            return (true, "first advert");
        }

        if (incoming.SenderEpoch > last.SenderEpoch)
        {
            return (true, $"new sender epoch {incoming.SenderEpoch} (was {last.SenderEpoch})");
        }

        if (incoming.SenderEpoch == last.SenderEpoch && incoming.Sequence > last.Sequence)
        {
            return (true, $"sequence {incoming.Sequence} after {last.Sequence}");
        }

        var age = now - lastAcceptedAt.Value;
        if (age >= resyncAfter)
        {
            // The last advert claimed numbers the sender no longer uses (a clock that ran ahead, a bug, a replay):
            // a valid advert within the time window takes over instead of being dropped forever.
            return (true, string.Create(CultureInfo.InvariantCulture,
                $"epoch {incoming.SenderEpoch} sequence {incoming.Sequence} is not after epoch {last.SenderEpoch} sequence {last.Sequence}, but nothing replaced that advert for {Seconds(age)} (resynchronised after {Seconds(resyncAfter)})"));
        }

        return (false, incoming.SenderEpoch < last.SenderEpoch
            ? $"sender epoch {incoming.SenderEpoch} is older than {last.SenderEpoch}"
            : $"sequence {incoming.Sequence} is not after {last.Sequence} in sender epoch {last.SenderEpoch}");
    }

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###} s");

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
