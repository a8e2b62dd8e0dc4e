using Federation.Contracts.Grains;
using Federation.Contracts.Nations;
using Federation.Contracts.Results;

namespace Federation.Grains.Nations;

/// <summary>This nation's profile and default policies.</summary>
[GrainType("nation")]
public sealed class NationGrain(
    [PersistentState("nation", GrainStorageNames.Catalogue)] IPersistentState<NationState> state)
    : Grain, INationGrain
{
    /// <inheritdoc />
    public Task<NationProfile?> GetAsync() => Task.FromResult(state.State.Profile);

    /// <inheritdoc />
    public async Task<NationProfile> InitialiseAsync(NationProfile configured)
    {
        if (state.State.Profile is { } stored && stored with { Version = 0 } == configured with { Version = 0 })
        {
            return stored;
        }

        var profile = configured with { Version = (state.State.Profile?.Version ?? 0) + 1 };
        await WriteAsync(profile);
        return profile;
    }

    /// <inheritdoc />
    public async Task<CommandResult<NationProfile>> UpdateAsync(NationProfile profile, int expectedVersion)
    {
        if (state.State.Profile is not { } current)
        {
            return CommandResult.Refused<NationProfile>(CommandStatus.NotFound, "the nation profile is not initialised yet; retry once the silo is ready");
        }

        if (current.Version != expectedVersion)
        {
            return CommandResult.Refused(CommandStatus.VersionMismatch, $"version {expectedVersion} is stale: the profile is at version {current.Version}; GET it again and retry", current);
        }

        if (profile.Code != current.Code)
        {
            return CommandResult.Refused(CommandStatus.Invalid, $"a nation's code never changes (this is {current.Code})", current, "code");
        }

        var updated = profile with { Version = current.Version + 1 };
        await WriteAsync(updated);
        return CommandResult.Ok(updated);
    }

    private async Task WriteAsync(NationProfile profile)
    {
        var previous = state.State.Profile;
        state.State.Profile = profile;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            state.State.Profile = previous;
            DeactivateOnIdle();
            throw new StorageUnavailableException("The nation's store did not confirm the write, so nothing was acknowledged. Retry the request.", e);
        }
    }
}
