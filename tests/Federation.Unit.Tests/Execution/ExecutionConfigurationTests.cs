using Federation.Contracts.Ids;
using Federation.Execution;
using Federation.Execution.Workloads;
using Federation.Reference;
using Federation.Silo.Execution;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Federation.Unit.Tests.Execution;

public sealed class ExecutionConfigurationTests
{
    private static readonly ReferenceTables s_reference = ReferenceTables.Load(new ReferenceOverrides());
    private static readonly NationCode s_nation = TypedId.Parse<NationCode>("FR");

    [Fact]
    public void NothingConfigured_OneAgentPool_AndTheSimulatedWorkloadsOfThePeeringList()
    {
        var (settings, workloads) = ExecutionConfiguration.Read(Configuration(("Federation:Peering:Workloads:0", "demo-train@1.0")), s_reference, s_nation);
        Assert.Equal([NodePool.DefaultAgent], settings.Pools);
        Assert.Null(settings.RunAs);
        Assert.EndsWith(Path.Combine("federation-jobs", "FR"), settings.WorkRoot, StringComparison.Ordinal);
        var only = Assert.Single(workloads.All);
        Assert.Equal("demo-train@1.0", only.Key);
        Assert.True(only.IsSimulated);
    }

    [Fact]
    public void AWorkloadAndASlurmPool_AreRead()
    {
        var conf = Path.GetTempFileName();
        try
        {
            var (settings, workloads) = ExecutionConfiguration.Read(Configuration(
                ("Federation:Workloads:0:Name", "train"),
                ("Federation:Workloads:0:Version", "2.1"),
                ("Federation:Workloads:0:Path", "/opt/train.sh"),
                ("Federation:Workloads:0:Sha256", new string('A', 64)),
                ("Federation:Workloads:0:Parameters:epochs:Type", "integer"),
                ("Federation:Workloads:0:Parameters:epochs:Required", "true"),
                ("Federation:Pools:0:Name", "hpc"),
                ("Federation:Pools:0:Kind", "slurm"),
                ("Federation:Pools:0:SlurmConf", conf),
                ("Federation:Pools:0:Partition", "gpu"),
                ("Federation:Pools:0:Gres:h100-sxm", "h100"),
                ("Federation:Executor:WorkRoot", "/var/lib/federation/jobs")), s_reference, s_nation);
            var pool = Assert.Single(settings.Pools);
            Assert.Equal((NodePoolKind.Slurm, "gpu", "h100"), (pool.Kind, pool.Partition, pool.Gres["h100-sxm"]));
            var train = Assert.Single(workloads.All);
            Assert.Equal(new string('a', 64), train.Sha256);
            Assert.Equal(WorkloadParameterType.WholeNumber, train.Parameters["epochs"].Type);
            Assert.True(train.Parameters["epochs"].Required);
            Assert.Equal("/var/lib/federation/jobs", settings.WorkRoot);
        }
        finally
        {
            File.Delete(conf);
        }
    }

    [Fact]
    public void EveryMistake_IsReportedWithItsKey()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => ExecutionConfiguration.Read(Configuration(
            ("Federation:Workloads:0:Name", "Train Model"),
            ("Federation:Workloads:0:Version", "1"),
            ("Federation:Workloads:0:Path", "train.sh"),
            ("Federation:Workloads:0:Sha256", "abc"),
            ("Federation:Workloads:0:Parameters:x:Type", "list"),
            ("Federation:Pools:0:Name", "hpc"),
            ("Federation:Pools:0:Kind", "slurm"),
            ("Federation:Pools:0:SlurmConf", "/nowhere/slurm.conf"),
            ("Federation:Pools:0:Gres:quantum-9000", "q9"),
            ("Federation:Pools:1:Name", "lab"),
            ("Federation:Pools:1:Kind", "kubernetes"),
            ("Federation:Executor:RunAs", "no-such-account-here"),
            ("Federation:Executor:WorkRoot", "relative/jobs")), s_reference, s_nation));
        var messages = string.Join("\n", failure.Failures);
        foreach (var key in new[]
        {
            "Federation:Workloads:0: Name must be a lower-case slug",
            "Federation:Workloads:0:Path must be the absolute path",
            "Federation:Workloads:0:Sha256 must be 64 hex digits",
            "Federation:Workloads:0:Parameters:x:Type must be string, integer, number or boolean, got 'list'",
            "Federation:Pools:0:SlurmConf must name the cluster's slurm.conf; '/nowhere/slurm.conf' does not exist",
            "Federation:Pools:0:Gres:quantum-9000: 'quantum-9000' is not an accelerator of the reference table",
            "Federation:Pools:1:Kind must be agent or slurm, got 'kubernetes'",
            "Federation:Executor:RunAs: there is no account 'no-such-account-here'",
            "Federation:Executor:WorkRoot must be an absolute path",
        })
        {
            Assert.Contains(key, messages, StringComparison.Ordinal);
        }
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
