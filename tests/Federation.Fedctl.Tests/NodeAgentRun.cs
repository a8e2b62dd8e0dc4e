using Federation.Fedctl.Agent;

namespace Federation.Fedctl.Tests;

/// <summary>A node agent running in the background of a test; stopped (cancelled) and awaited on dispose.</summary>
internal sealed class NodeAgentRun : IAsyncDisposable
{
    private readonly NodeAgent _agent;
    private readonly CancellationTokenSource _stop = new();

    private NodeAgentRun(NodeAgent agent)
    {
        _agent = agent;
        Task = agent.RunAsync(Output, _stop.Token);
    }

    /// <summary>What the agent printed.</summary>
    public NodeAgentOutput Output { get; } = new();

    /// <summary>The agent's run, completing with its exit code.</summary>
    public Task<int> Task { get; }

    /// <summary>Starts an agent with <paramref name="options"/>.</summary>
    public static NodeAgentRun Start(NodeAgentOptions options, IPowerSampler? powerSampler) => new(new NodeAgent(options, powerSampler));

    /// <summary>Stops the agent as Ctrl+C would and returns its exit code.</summary>
    public async Task<int> StopAsync(TimeSpan deadline)
    {
        await _stop.CancelAsync();
        return await Task.WaitAsync(deadline);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            // The test has already failed or passed on its own assertions; do not mask that.
        }

        _agent.Dispose();
        _stop.Dispose();
    }
}
