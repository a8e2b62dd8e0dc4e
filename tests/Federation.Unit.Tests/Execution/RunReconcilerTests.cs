using Federation.Contracts.Ids;
using Federation.Execution;
using Federation.Silo.Execution;

namespace Federation.Unit.Tests.Execution;

/// <summary>The reconciler recognises the Slurm jobs this federation named, and only those.</summary>
public sealed class RunReconcilerTests
{
    [Theory]
    [InlineData("DE-train-1-e3", "DE/train-1", 3)]
    [InlineData("FR-x-e12", "FR/x", 12)]
    public void SlurmJobNames_RoundTrip(string name, string job, int epoch)
    {
        var parsed = RunReconciler.ParseName(name);
        Assert.Equal((TypedId.Parse<JobRef>(job), epoch), parsed);
        Assert.Equal(name, NodePool.SlurmJobName(parsed!.Value.Job, parsed.Value.Epoch));
    }

    [Theory]
    [InlineData("slurm-test")]
    [InlineData("de-train-1-e3")]
    [InlineData("DE-Train-e1")]
    [InlineData("DE-train-1")]
    public void SomeoneElsesSlurmJobs_AreNotOurs(string name) => Assert.Null(RunReconciler.ParseName(name));
}
