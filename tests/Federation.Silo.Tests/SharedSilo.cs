using Federation.Testing;

namespace Federation.Silo.Tests;

/// <summary>
/// One embedded silo shared by the tests of a class (a class fixture): for tests that each use their
/// own names and leave nothing another test reads, so that they need not start a silo each.
/// </summary>
public class SharedSilo : IAsyncLifetime
{
    private SiloUnderTest? _silo;

    /// <summary>The silo, started once for the class.</summary>
    public SiloUnderTest Silo => _silo ?? throw new InvalidOperationException("The shared silo has not been started.");

    /// <summary>Extra configuration of the silo (none unless a subclass gives some).</summary>
    protected virtual IDictionary<string, string?>? Extra => null;

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => _silo = await SiloUnderTest.StartEmbeddedAsync(extra: Extra);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
