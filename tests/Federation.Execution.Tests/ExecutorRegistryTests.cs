using Federation.Contracts.Jobs;
using Federation.Execution.Hosting;
using Federation.Execution.Processes;
using Federation.Execution.Simulated;
using Federation.Execution.Slurm;
using Federation.Execution.Workloads;
using Federation.Reference;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Execution.Tests;

/// <summary>The registry picks the executor by kind: for a workload in a pool, and for a recorded run.</summary>
public sealed class ExecutorRegistryTests
{
    // The federated executor coordinates a run through grains, so the silo registers it, not this project.
    private static readonly ExecutorKind[] s_hereKinds = [.. ExecutorKinds.All.Where(k => k != ExecutorKind.Federated)];

    private static readonly ExecutorSettings s_settings = new();
    private static readonly NodePool s_agents = NodePool.DefaultAgent;
    private static readonly NodePool s_lab = new() { Name = "lab", Kind = NodePoolKind.Slurm, SlurmConf = "/etc/slurm/slurm.conf" };
    private static readonly WorkloadDefinition s_simulated = new() { Name = "demo-train", Version = "1.0" };
    private static readonly WorkloadDefinition s_script = new() { Name = "train", Version = "1.0", Path = "/opt/train.sh", Sha256 = new string('a', 64) };

    private static ExecutorRegistry Registry() => new(
    [
        new SimulatedExecutor(ReferenceTables.Shipped, s_settings, new FakeTimeProvider()),
        new ProcessExecutor(s_settings, TimeProvider.System, NullLogger<ProcessExecutor>.Instance),
        new SlurmExecutor(new SlurmPools(s_settings), s_settings, NullLogger<SlurmExecutor>.Instance),
    ]);

    [Fact]
    public void KindFor_AWorkloadInAPool_IsSimulatedWithoutAFileElseThePoolsKind()
    {
        Assert.Equal(ExecutorKind.Simulated, ExecutorRegistry.KindFor(s_simulated, s_agents));
        Assert.Equal(ExecutorKind.Simulated, ExecutorRegistry.KindFor(s_simulated, s_lab));
        Assert.Equal(ExecutorKind.Process, ExecutorRegistry.KindFor(s_script, s_agents));
        Assert.Equal(ExecutorKind.Slurm, ExecutorRegistry.KindFor(s_script, s_lab));
    }

    [Fact]
    public void For_EachKind_GivesTheExecutorOfThatKind()
    {
        var registry = Registry();
        Assert.Equal(s_hereKinds, registry.Kinds);
        Assert.IsType<SimulatedExecutor>(registry.For(s_simulated, s_lab));
        Assert.IsType<ProcessExecutor>(registry.For(s_script, s_agents));
        Assert.IsType<SlurmExecutor>(registry.For(s_script, s_lab));
        foreach (var kind in s_hereKinds)
        {
            Assert.Equal(kind, registry.For(new ExecutionRun { Executor = kind.ToText(), Pool = "p" }).Kind);
        }

        Assert.IsType<SimulatedExecutor>(registry.For((ExecutionRun?)null));
    }

    [Fact]
    public void Detached_OnlyRunsOutsideTheGrain()
    {
        var registry = Registry();
        Assert.False(registry[ExecutorKind.Simulated].Detached);
        Assert.True(registry[ExecutorKind.Process].Detached);
        Assert.True(registry[ExecutorKind.Slurm].Detached);
    }

    [Fact]
    public void New_TwoExecutorsOfOneKind_IsRefusedNamingTheKind()
    {
        var twice = new ProcessExecutor(s_settings, TimeProvider.System, NullLogger<ProcessExecutor>.Instance);
        var error = Assert.Throws<ArgumentException>(() => new ExecutorRegistry([twice, twice]));
        Assert.Contains("two executors of kind process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Indexer_AKindNotRegistered_FailsNamingItAndTheRegisteredOnes()
    {
        var registry = new ExecutorRegistry([new SimulatedExecutor(ReferenceTables.Shipped, s_settings, new FakeTimeProvider())]);
        var error = Assert.Throws<InvalidOperationException>(() => registry[ExecutorKind.Slurm]);
        Assert.Equal("no slurm executor is registered (registered: simulated)", error.Message);
    }

    [Fact]
    public void AddFederationExecutors_CalledTwice_RegistersOneExecutorPerKind()
    {
        var services = new ServiceCollection()
            .AddSingleton(s_settings)
            .AddSingleton(ReferenceTables.Shipped)
            .AddSingleton(TimeProvider.System)
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddFederationExecutors().AddFederationExecutors();
        using var provider = services.BuildServiceProvider();
        Assert.Equal(s_hereKinds, provider.GetServices<IRunExecutor>().Select(e => e.Kind).Order());
        Assert.Equal(s_hereKinds, provider.GetRequiredService<ExecutorRegistry>().Kinds);
    }
}
