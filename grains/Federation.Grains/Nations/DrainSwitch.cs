using Federation.Contracts.Grains;
using Federation.Contracts.Nations;

namespace Federation.Grains.Nations;

/// <summary>
/// The drain as admission and the advert read it: from the drain grain at most every
/// <see cref="FreshFor"/> (an offer should not cost a grain call), and at once on this silo when the
/// operator changes it here (<see cref="Set"/>). Another silo of the nation sees a change within
/// <see cref="FreshFor"/>.
/// </summary>
public sealed class DrainSwitch(IGrainFactory grains, TimeProvider time)
{
    /// <summary>How long a read of the drain grain is used.</summary>
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(1);

    // A reference, so that concurrent offers read it whole.
    private Tuple<DateTimeOffset, NationDrain>? _cached;

    /// <summary>The drain as of at most <see cref="FreshFor"/> ago.</summary>
    public async Task<NationDrain> CurrentAsync()
    {
        var now = time.GetUtcNow();
        if (_cached is { } cached && now - cached.Item1 < FreshFor)
        {
            return cached.Item2;
        }

        var drain = await grains.GetGrain<INationDrainGrain>(INationDrainGrain.Key).GetAsync();
        Set(drain);
        return drain;
    }

    /// <summary>Uses <paramref name="drain"/> from now on (the operator changed it on this silo); an older version never replaces a newer one.</summary>
    public void Set(NationDrain drain)
    {
        ArgumentNullException.ThrowIfNull(drain);
        var now = time.GetUtcNow();
        var cached = _cached;
        _cached = cached is not null && cached.Item2.Version > drain.Version ? Tuple.Create(now, cached.Item2) : Tuple.Create(now, drain);
    }
}
