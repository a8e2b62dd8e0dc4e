using Federation.Contracts.Ids;

namespace Federation.Grains.Jobs;

/// <summary>
/// Cancellations that arrive before their offer (the origin fenced an epoch while the offer was
/// still on its way). They are kept in memory only, for <see cref="Lifetime"/>, and at most
/// <see cref="MaxPerOrigin"/> per origin nation: a peer can name any job and epoch, so storing every
/// such cancellation would let it grow this nation's store without limit.
/// </summary>
public sealed class PreOfferFences(TimeProvider time)
{
    /// <summary>Most cancellations of unknown executions remembered per origin nation.</summary>
    public const int MaxPerOrigin = 1000;

    /// <summary>How long a cancellation of an unknown execution is remembered (far longer than an offer is in flight).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly Lock _lock = new();
    private readonly Dictionary<NationCode, Dictionary<(JobRef Job, int Epoch), DateTimeOffset>> _byOrigin = [];

    /// <summary>The rule, as told to a peer that went over it.</summary>
    public static string Rule =>
        $"a cancellation for an execution this nation does not know is kept in memory for {Lifetime.TotalMinutes:0} minutes, at most {MaxPerOrigin} per nation";

    /// <summary>Remembers that <paramref name="origin"/> fenced <paramref name="job"/> epoch <paramref name="epoch"/>; false when its budget is spent.</summary>
    public bool TryRemember(NationCode origin, JobRef job, int epoch)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_byOrigin.TryGetValue(origin, out var fences))
            {
                _byOrigin[origin] = fences = [];
            }

            if (fences.ContainsKey((job, epoch)))
            {
                return true;
            }

            if (fences.Count >= MaxPerOrigin)
            {
                foreach (var expired in fences.Where(f => now - f.Value >= Lifetime).Select(f => f.Key).ToList())
                {
                    fences.Remove(expired);
                }

                if (fences.Count >= MaxPerOrigin)
                {
                    return false;
                }
            }

            fences[(job, epoch)] = now;
            return true;
        }
    }

    /// <summary>True when the origin fenced <paramref name="job"/> epoch <paramref name="epoch"/> within <see cref="Lifetime"/>.</summary>
    public bool IsFenced(JobRef job, int epoch)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            return _byOrigin.TryGetValue(job.Origin, out var fences)
                && fences.TryGetValue((job, epoch), out var at)
                && now - at < Lifetime;
        }
    }
}
