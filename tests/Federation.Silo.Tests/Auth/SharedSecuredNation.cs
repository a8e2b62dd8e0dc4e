namespace Federation.Silo.Tests.Auth;

/// <summary>One <see cref="SecuredNation"/> shared by the tests of a class whose tests leave nothing another reads.</summary>
public sealed class SharedSecuredNation : IAsyncLifetime
{
    private SecuredNation? _nation;

    /// <summary>The nation, started once for the class.</summary>
    public SecuredNation Nation => _nation ?? throw new InvalidOperationException("The shared secured nation has not been started.");

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => _nation = await SecuredNation.StartAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_nation is not null)
        {
            await _nation.DisposeAsync();
        }
    }
}
