using Federation.Contracts.Ids;
using Federation.Lifecycle.Executions;
using Federation.Lifecycle.Jobs;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>How the simulated federation's nations behave: the deciders' settings and the adapters' timings.</summary>
public sealed record FederationSimulationSettings
{
    /// <summary>The origins' job rules (the defaults: lease 30 s, grace 15 s).</summary>
    public JobLifecycleSettings Jobs { get; init; } = new();

    /// <summary>The executions' rules (renew every 10 s, stop at lease − 5 s); progress and polls paced to keep runs short.</summary>
    public ExecutionSettings Executions { get; init; } = new() { ProgressEvery = TimeSpan.FromSeconds(10), PollEvery = TimeSpan.FromSeconds(2) };

    /// <summary>Accelerators of each nation (one pool of agent-managed nodes).</summary>
    public int Accelerators { get; init; } = 3;

    /// <summary>Foreign executions each nation admits at once (its foreign share, counted in executions); its own jobs queue instead.</summary>
    public int Capacity { get; init; } = 2;

    /// <summary>How long the planner takes to answer.</summary>
    public TimeSpan PlanDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long staging takes.</summary>
    public TimeSpan StagingTime { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How long the executor takes to start a run.</summary>
    public TimeSpan StartTime { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a poll of the executor takes.</summary>
    public TimeSpan PollTime { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The accelerator model of every pool.</summary>
    public AcceleratorSlug Accelerator { get; init; } = TypedId.Parse<AcceleratorSlug>("h100-sxm");
}
