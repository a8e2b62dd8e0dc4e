using Federation.Lifecycle.Executions;

namespace Federation.Grains.Jobs;

/// <content>What a draining nation asks of an execution: give its epoch back, and how many reports it still owes.</content>
public sealed partial class ExecutionGrain
{
    /// <inheritdoc />
    public async Task<bool> GiveBackAsync(string reason) => (await ApplyAsync(new GiveBackRequested(reason))).Accepted;

    /// <inheritdoc />
    public Task<int> OwedReportsAsync() => Task.FromResult(state.State.Outbox.Count);
}
