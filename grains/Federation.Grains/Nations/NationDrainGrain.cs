using Federation.Contracts.Grains;
using Federation.Contracts.Nations;

namespace Federation.Grains.Nations;

/// <summary>Whether this nation drains, written to grain storage before it is answered (see <see cref="INationDrainGrain"/>).</summary>
[GrainType("nation-drain")]
public sealed class NationDrainGrain(
    [PersistentState("drain", GrainStorageNames.Catalogue)] IPersistentState<NationDrainState> state,
    TimeProvider time)
    : Grain, INationDrainGrain
{
    /// <inheritdoc />
    public Task<NationDrain> GetAsync() => Task.FromResult(state.State.Drain);

    /// <inheritdoc />
    public async Task<NationDrain> DrainAsync(bool giveBack, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var current = state.State.Drain;
        var wanted = current with
        {
            Draining = true,
            GiveBack = current is { Draining: true, GiveBack: true } || giveBack,
            Reason = reason,
            Since = current.Draining ? current.Since : time.GetUtcNow(),
        };
        return wanted == current ? current : await WriteAsync(wanted);
    }

    /// <inheritdoc />
    public async Task<NationDrain> UndrainAsync()
    {
        var current = state.State.Drain;
        return current.Draining ? await WriteAsync(current with { Draining = false, GiveBack = false, Reason = "", Since = null }) : current;
    }

    private async Task<NationDrain> WriteAsync(NationDrain drain)
    {
        var previous = state.State.Drain;
        state.State.Drain = drain with { Version = previous.Version + 1 };
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            state.State.Drain = previous;
            throw;
        }

        return state.State.Drain;
    }
}
