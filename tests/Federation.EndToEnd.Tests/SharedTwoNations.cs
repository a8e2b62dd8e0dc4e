namespace Federation.EndToEnd.Tests;

/// <summary>
/// One <see cref="TwoNations"/> (FR and DE, both offering the workload <c>demo-train@1.0</c>) shared by
/// the classes of the <see cref="SharedTwoNationsCollection"/>: for tests that neither edit the roster
/// nor change a nation's settings, and use names of their own, so that they need not launch nations.
/// The nations send each other signed usage reports every second.
/// </summary>
public sealed class SharedTwoNations : IAsyncLifetime
{
    private TwoNations? _nations;

    /// <summary>The nations, started once for the collection.</summary>
    public TwoNations Nations => _nations ?? throw new InvalidOperationException("The shared nations have not been started.");

    /// <inheritdoc />
    public async ValueTask InitializeAsync() =>
        _nations = await TwoNations.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
            ["Federation:Shares:ReportInterval"] = "00:00:01",
        });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_nations is not null)
        {
            await _nations.DisposeAsync();
        }
    }
}
