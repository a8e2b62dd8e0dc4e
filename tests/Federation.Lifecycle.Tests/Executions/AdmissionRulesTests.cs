using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution.Workloads;
using Federation.Lifecycle.Executions;
using Federation.Reference;
using Federation.Routing.Trust;

namespace Federation.Lifecycle.Tests.Executions;

public sealed class AdmissionRulesTests
{
    private static readonly NationCode s_se = ExecutionDriver.Local;
    private static readonly NationCode s_fr = ExecutionDriver.Origin;
    private static readonly NationCode s_de = TypedId.Parse<NationCode>("DE");

    private static JobOffer Offer(JobSpec? spec = null) => new() { Job = ExecutionDriver.Job, Epoch = 1, Spec = spec ?? ExecutionDriver.Spec(), LeaseSeconds = 30 };

    private static AdmissionVerdict Decide(AdmissionFacts facts, JobSpec? spec = null, NationCode? from = null) =>
        AdmissionRules.Decide(from ?? s_fr, Offer(spec), facts, ReferenceTables.Shipped);

    [Fact]
    public void Decide_EverythingAllows_AdmitsWithTheFitAndItsFreeCount()
    {
        var verdict = Decide(ExecutionDriver.AdmissionFacts());

        Assert.True(verdict.Admitted);
        Assert.Equal(ExecutionDriver.H100, verdict.Fit);
        Assert.Equal("2 x h100-sxm free now (4 of 4)", verdict.Reason);
    }

    [Fact]
    public void Decide_ModelFitsButIsBusy_AdmitsQueued()
    {
        var verdict = Decide(ExecutionDriver.AdmissionFacts(free: 1) with { ForeignShare = null });

        Assert.True(verdict.Admitted);
        Assert.Equal("queued for 2 x h100-sxm (1 of 4 free now)", verdict.Reason);
    }

    [Fact]
    public void Decide_SenderIsNotTheOrigin_RefusesBeforeAnythingElse()
    {
        var verdict = Decide(ExecutionDriver.AdmissionFacts() with { Workload = null, RefuseForeignJobs = true }, from: s_de);

        Assert.Equal(AdmissionRules.NotFromOrigin, verdict.Rule);
        Assert.Equal("only the job's origin (FR) may offer it, not DE", verdict.Reason);
    }

    [Fact]
    public void Decide_OperatorRefusesForeignJobs_RefusesForeignButNotOwn()
    {
        var facts = ExecutionDriver.AdmissionFacts() with { RefuseForeignJobs = true };
        var own = new JobOffer { Job = TypedId.Parse<JobRef>("SE/job-2"), Epoch = 1, Spec = ExecutionDriver.Spec(), LeaseSeconds = 30 };

        Assert.Equal(AdmissionRules.ForeignJobsRefused, Decide(facts).Rule);
        Assert.True(AdmissionRules.Decide(s_se, own, facts, ReferenceTables.Shipped).Admitted);
    }

    [Fact]
    public void Decide_OriginOnTheRefuseList_NamesTheSetting()
    {
        var verdict = Decide(ExecutionDriver.AdmissionFacts() with { RefuseFrom = ["FR"] });

        Assert.Equal(AdmissionRules.OriginRefused, verdict.Rule);
        Assert.Contains("Federation:Admission:RefuseFrom", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_WorkloadNotOnTheList_ListsWhatIs()
    {
        Assert.Equal("workload train@1 is not on SE's allow-list (train@2, eval@1)",
            Decide(ExecutionDriver.AdmissionFacts() with { Workload = null, AllowList = ["train@2", "eval@1"] }).Reason);
        Assert.Equal("workload train@1 is not on SE's allow-list (empty)",
            Decide(ExecutionDriver.AdmissionFacts() with { Workload = null, AllowList = [] }).Reason);
    }

    [Fact]
    public void Decide_ArgumentsBreakTheSchema_NamesTheArgument()
    {
        var workload = new WorkloadDefinition
        {
            Name = "train",
            Version = "1",
            Path = "/opt/train.sh",
            Parameters = ImmutableSortedDictionary<string, WorkloadParameter>.Empty.Add("epochs", new WorkloadParameter { Type = WorkloadParameterType.WholeNumber, Required = true }),
        };

        var verdict = Decide(ExecutionDriver.AdmissionFacts() with { Workload = workload });

        Assert.Equal(AdmissionRules.WorkloadArguments, verdict.Rule);
        Assert.Contains("epochs", verdict.Reason, StringComparison.Ordinal);
        Assert.False(verdict.Audited);
    }

    [Fact]
    public void Decide_WorkloadFileChanged_IsAnAuditedRefusal()
    {
        var verdict = Decide(ExecutionDriver.AdmissionFacts() with { WorkloadMismatch = "sha256 of /opt/train.sh is abc, pinned def" });

        Assert.Equal(AdmissionRules.WorkloadVerification, verdict.Rule);
        Assert.Equal("sha256 of /opt/train.sh is abc, pinned def", verdict.Reason);
        Assert.True(verdict.Audited);
    }

    [Fact]
    public void Decide_InputWithoutTerms_IsAnAuditedRefusalNamingTheDataset()
    {
        var cohort = TypedId.Parse<DatasetRef>("DE/cohort");
        var spec = ExecutionDriver.Spec() with { Inputs = [cohort] };

        var verdict = Decide(ExecutionDriver.AdmissionFacts() with { Inputs = ImmutableDictionary<DatasetRef, InputTerms>.Empty.Add(cohort, InputTerms.Unknown("dataset DE/cohort: signature does not verify")) }, spec);

        Assert.Equal(AdmissionRules.InputTerms, verdict.Rule);
        Assert.Equal("dataset DE/cohort: signature does not verify", verdict.Reason);
        Assert.True(verdict.Audited);
    }

    [Fact]
    public void Decide_ControlledInputWithoutGrant_IsAnAuditedRefusalLedByTheRule_AfterTheTerms()
    {
        var cohort = TypedId.Parse<DatasetRef>("DE/cohort");
        var spec = ExecutionDriver.Spec() with { Inputs = [cohort] };
        var facts = ExecutionDriver.AdmissionFacts() with { AccessRefusals = ["dataset SE/cohort needs a data-access grant"] };

        var verdict = Decide(facts);
        var terms = Decide(facts with { Inputs = ImmutableDictionary<DatasetRef, InputTerms>.Empty.Add(cohort, InputTerms.Unknown("no terms")) }, spec);

        Assert.Equal(AdmissionRules.DataAccessGrant, verdict.Rule);
        Assert.Equal("data-access-grant: dataset SE/cohort needs a data-access grant", verdict.Reason);
        Assert.True(verdict.Audited);
        Assert.Equal(AdmissionRules.InputTerms, terms.Rule);
        Assert.True(Decide(facts with { AccessRefusals = [] }).Admitted);
    }

    [Fact]
    public void Decide_NoPoolHasAFittingModel_SaysWhatTheNationHas()
    {
        var none = Decide(ExecutionDriver.AdmissionFacts() with { Pools = [] });
        var small = Decide(ExecutionDriver.AdmissionFacts() with { Pools = [new PoolLine("agents", false, ExecutionDriver.H100, 1, 1, 80)] });

        Assert.Equal(AdmissionRules.NoFit, none.Rule);
        Assert.Equal("no accelerator model here fits 2 x any accelerator (this nation has no accelerators up)", none.Reason);
        Assert.Equal(AdmissionRules.NoFit, small.Rule);
        Assert.StartsWith("no accelerator model here fits 2 x any accelerator (this nation has 1 x h100-sxm (", small.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_SimulatedWorkload_IgnoresSlurmPools()
    {
        ImmutableArray<PoolLine> pools = [new PoolLine("cluster", true, ExecutionDriver.H100, 4, 4, 80)];
        var want = ExecutionDriver.Spec().Accelerators;

        Assert.Equal(AdmissionRules.NoFit, AdmissionRules.Fit(pools, want, agentPoolsOnly: true, ReferenceTables.Shipped).Rule);
        Assert.True(AdmissionRules.Fit(pools, want, agentPoolsOnly: false, ReferenceTables.Shipped).Admitted);
    }

    [Fact]
    public void Fit_SameModelInTwoPools_IsSummed()
    {
        ImmutableArray<PoolLine> pools = [new PoolLine("a", false, ExecutionDriver.H100, 1, 2, 80), new PoolLine("b", true, ExecutionDriver.H100, 1, 2, 80)];

        var verdict = AdmissionRules.Fit(pools, ExecutionDriver.Spec().Accelerators, agentPoolsOnly: false, ReferenceTables.Shipped);

        Assert.Equal("2 x h100-sxm free now (2 of 4)", verdict.Reason);
    }

    [Theory]
    [InlineData(1.0, 2, true)]
    [InlineData(1.0, 4, true)]
    [InlineData(0.75, 1, true)]
    [InlineData(0.75, 2, false)]
    [InlineData(0.5, 0, true)]
    [InlineData(0.5, 1, false)]
    public void Decide_ForeignShare_RefusesWhenForeignJobsWouldHoldTooMuchAndOneCapsNothing(double share, int held, bool admitted)
    {
        var verdict = Decide(ExecutionDriver.AdmissionFacts() with { ForeignShare = new ForeignShare(share, 4, held) });

        Assert.Equal(admitted, verdict.Admitted);
        if (!admitted)
        {
            Assert.Equal(AdmissionRules.ForeignShare, verdict.Rule);
            Assert.Contains($"foreign jobs would hold {held + 2} of SE's 4 accelerators", verdict.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Decide_OwnJob_IsNotCountedAgainstTheForeignShare()
    {
        var own = new JobOffer { Job = TypedId.Parse<JobRef>("SE/job-2"), Epoch = 1, Spec = ExecutionDriver.Spec(), LeaseSeconds = 30 };

        var verdict = AdmissionRules.Decide(s_se, own, ExecutionDriver.AdmissionFacts() with { ForeignShare = new ForeignShare(0.0, 4, 4) }, ReferenceTables.Shipped);

        Assert.True(verdict.Admitted);
    }

    [Fact]
    public void Offer_Refused_IsWrittenFailedWithItsRuleInTheDecision()
    {
        var driver = new ExecutionDriver();

        var decision = driver.Apply(new OfferReceived(s_fr, Offer(), s_se, false, ExecutionDriver.AdmissionFacts() with { RefuseFrom = ["FR"] }));

        Assert.False(driver.Record.Admission.Admitted);
        Assert.Equal(JobState.Failed, driver.Record.State);
        Assert.StartsWith("refused: SE does not admit jobs from FR", driver.Record.StateReason, StringComparison.Ordinal);
        var decided = Assert.Single(decision.Events.OfType<AdmissionDecided>());
        Assert.Equal(AdmissionRules.OriginRefused, decided.Verdict.Rule);
        Assert.False(driver.State.Live);
    }

    [Fact]
    public void Offer_Admitted_CarriesTheLeaseAndGoesLive()
    {
        var driver = new ExecutionDriver();

        driver.Apply(new OfferReceived(s_fr, Offer(), s_se, false, ExecutionDriver.AdmissionFacts()));

        Assert.True(driver.Record.Admission.Admitted);
        Assert.Equal(30, driver.Record.Admission.LeaseSeconds);
        Assert.True(driver.State.Live);
    }

    [Fact]
    public void Offer_WithoutFacts_IsRefusedByName()
    {
        var driver = new ExecutionDriver();

        var decision = driver.Apply(new OfferReceived(s_fr, Offer(), s_se, false, Facts: null));

        Assert.False(driver.Record.Admission.Admitted);
        Assert.Equal(ExecutionRules.NoAdmissionFacts, Assert.Single(decision.Events.OfType<AdmissionDecided>()).Verdict.Rule);
    }
}
