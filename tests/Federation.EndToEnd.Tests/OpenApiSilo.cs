using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>One embedded silo whose OpenAPI documents the contract tests read (they only read).</summary>
public sealed class OpenApiSilo : IAsyncLifetime
{
    private SiloUnderTest? _silo;

    /// <summary>The silo, started once for the class.</summary>
    public SiloUnderTest Silo => _silo ?? throw new InvalidOperationException("The OpenAPI silo has not been started.");

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => _silo = await SiloUnderTest.StartEmbeddedAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}
