using Federation.Contracts.Jobs;
using Federation.Lifecycle.Executions;
using Federation.Reference;

namespace Federation.Lifecycle.Tests.Executions;

/// <summary>A draining nation refuses every new offer by the rule <c>draining</c>, its own jobs' included, before any other rule.</summary>
public sealed class AdmissionDrainTests
{
    private static JobOffer Offer() => new() { Job = ExecutionDriver.Job, Epoch = 1, Spec = ExecutionDriver.Spec(), LeaseSeconds = 30 };

    [Fact]
    public void Decide_Draining_RefusedByDrainingWithTheOperatorsReason()
    {
        var verdict = AdmissionRules.Decide(ExecutionDriver.Origin, Offer(), ExecutionDriver.AdmissionFacts() with { Draining = "maintenance" }, ReferenceTables.Shipped);

        Assert.Equal(AdmissionRules.Draining, verdict.Rule);
        Assert.Equal("SE is draining and admits no new jobs (maintenance)", verdict.Reason);
    }

    [Fact]
    public void Decide_DrainingOwnJob_RefusedToo()
    {
        var facts = ExecutionDriver.AdmissionFacts() with { Local = ExecutionDriver.Origin, Draining = "" };

        var verdict = AdmissionRules.Decide(ExecutionDriver.Origin, Offer(), facts, ReferenceTables.Shipped);

        Assert.Equal((AdmissionRules.Draining, "FR is draining and admits no new jobs"), (verdict.Rule, verdict.Reason));
    }

    [Fact]
    public void Decide_DrainingAndRefusingForeignJobs_DrainingNamedFirst()
    {
        var facts = ExecutionDriver.AdmissionFacts() with { Draining = "leaving", RefuseForeignJobs = true };

        Assert.Equal(AdmissionRules.Draining, AdmissionRules.Decide(ExecutionDriver.Origin, Offer(), facts, ReferenceTables.Shipped).Rule);
    }

    [Fact]
    public void Offer_DrainingFacts_ExecutionRecordsTheRefusalAndRunsNothing()
    {
        var driver = new ExecutionDriver();

        driver.Apply(new OfferReceived(ExecutionDriver.Origin, Offer(), ExecutionDriver.Local, false, ExecutionDriver.AdmissionFacts() with { Draining = "maintenance" }));

        Assert.False(driver.Record.Admission.Admitted);
        Assert.False(driver.State.Live);
        Assert.DoesNotContain(driver.Effects, e => e is AllocateNodes);
    }
}
