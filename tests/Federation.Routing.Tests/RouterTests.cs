using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Contracts.Routing;
using Federation.Reference;
using static Federation.Routing.Tests.RouterFixtures;
using static Federation.Routing.Tests.Samples;

namespace Federation.Routing.Tests;

/// <summary>Examples of <see cref="Router"/>: the formula on hand-computed cases, every exclusion rule with its reason, ranking and ties.</summary>
public sealed class RouterTests
{
    private const double Tolerance = 1e-9;

    private const string Registry = "FR/cancer-registry";

    private static readonly Router _router = new(ReferenceTables.Shipped);

    private static CandidateVerdict Verdict(RoutingDecision decision, NationCode nation) => Assert.Single(decision.Candidates, c => c.Nation == nation);

    private static Exclusion OnlyExclusion(RoutingDecision decision, NationCode nation) => Assert.Single(Verdict(decision, nation).Exclusions);

    // ---- the formula ----

    [Fact]
    public void Plan_HoursOnA100RunOnH100_EveryComponentIsTheFormulas()
    {
        // 10 accelerator-hours measured on a100-80gb-sxm (312 TFLOPS), run on 2 x h100-sxm (989 TFLOPS, 700 W)
        // in DE (PUE 1.2, 50 gCO2e/kWh, 4 queued jobs, 8 of 8 free), with 20 GB of FR data moved there.
        var advert = Advert(DE, Capacity(H100, 8, 8)) with { QueueDepth = 4 };
        var job = Job(WorkEstimate.Hours(10, A100), new AcceleratorRequest { Count = 2 });

        var decision = _router.Plan(Request(job, [Reachable(advert)], Input(Registry, sizeBytes: 20_000_000_000)));

        var score = Verdict(decision, DE).Score!;
        var acceleratorHours = 10 * 312.0 / 989;                 // 3.1547 accelerator-hours on h100-sxm
        var computeKwh = acceleratorHours * 700 / 1000 * 1.2;   // 2.6499 kWh
        var transferKwh = 20_000_000_000 / 1e9 * 0.06;          // 1.2 kWh
        var waitHours = 4 * 1.0 / 8;                            // 0.5 h: 4 queued jobs of 1 h over 8 accelerators, all free
        Assert.Equal(H100, score.Accelerator);
        Assert.Equal(3.154701718907988, score.AcceleratorHours, Tolerance);
        Assert.Equal(acceleratorHours / 2, score.RunHours, Tolerance);
        Assert.Equal(700, score.PowerWatts);
        Assert.Equal(1.2, score.Pue);
        Assert.Equal(computeKwh, score.ComputeKwh, Tolerance);
        Assert.Equal(20_000_000_000, score.TransferBytes);
        Assert.Equal(transferKwh, score.TransferKwh, Tolerance);
        Assert.Equal(50, score.GridIntensityGco2PerKwh);
        Assert.Equal(computeKwh * 50, score.ComputeGco2e, Tolerance);
        Assert.Equal(60, score.TransferGco2e, Tolerance);
        Assert.Equal(waitHours, score.ExpectedWaitHours, Tolerance);
        Assert.Equal((1.0 * ((computeKwh + transferKwh) * 50)) + (10.0 * waitHours), score.Total, Tolerance);
        Assert.Equal(197.49747219413547, score.Total, Tolerance);
        Assert.Equal(DE, decision.Chosen);
        Assert.Equal(1, Verdict(decision, DE).Rank);
        Assert.Equal("DE: lowest score 197.497 (192.497 gCO2e on h100-sxm, wait 0.5 h) of 1 feasible nation(s)", decision.Summary);
    }

    [Fact]
    public void WorkFlops_HoursOnReference_AreHoursTimesItsThroughput()
    {
        Assert.Equal(10 * 312e12 * 3600, _router.WorkFlops(WorkEstimate.Hours(10, A100)), 1e-6);
        Assert.Equal(5e18, _router.WorkFlops(WorkEstimate.Operations(5e18)));
    }

    [Fact]
    public void Plan_FlopsEstimate_ConvertedByEachModelsThroughput()
    {
        var advert = Advert(DE, Capacity(H100, 1, 1));

        var decision = _router.Plan(Request(Job(WorkEstimate.Operations(1e19)), [Reachable(advert)]));

        var score = Verdict(decision, DE).Score!;
        Assert.Equal(1e19 / (989e12 * 3600), score.AcceleratorHours, Tolerance);
        Assert.Equal(2.808673182788451, score.AcceleratorHours, Tolerance);
        Assert.Equal(score.AcceleratorHours * 700 / 1000 * 1.2 * 50, score.Total, Tolerance);
    }

    [Fact]
    public void V100_HasNoBf16_ItsFp16TensorThroughputIsUsed()
    {
        var v100 = ReferenceTables.Shipped.FindAccelerator(V100)!;
        Assert.Null(v100.Bf16DenseTflops);
        Assert.Equal(125, v100.TensorTflops);
        Assert.Equal(125e12 * 3600, _router.WorkFlops(WorkEstimate.Hours(1, V100)), 1e-6);

        var decision = _router.Plan(Request(Job(WorkEstimate.Hours(10, A100)), [Reachable(Advert(DE, Capacity(V100, 1, 1)))]));

        var score = Verdict(decision, DE).Score!;
        Assert.Equal(V100, score.Accelerator);
        Assert.Equal(10 * 312.0 / 125, score.AcceleratorHours, Tolerance); // 24.96
        Assert.Equal(300, score.PowerWatts);
        Assert.Equal(24.96 * 300 / 1000 * 1.2, score.ComputeKwh, Tolerance);
    }

    [Fact]
    public void WorkFlops_InvalidEstimates_Throw()
    {
        Assert.Throws<ArgumentException>(() => _router.WorkFlops(WorkEstimate.Hours(0, A100)));
        Assert.Throws<ArgumentException>(() => _router.WorkFlops(WorkEstimate.Hours(-1, A100)));
        Assert.Throws<ArgumentException>(() => _router.WorkFlops(WorkEstimate.Operations(0)));
        Assert.Throws<ArgumentException>(() => _router.WorkFlops(WorkEstimate.Hours(1, Slug("tpu-v9"))));
        Assert.Throws<ArgumentException>(() => _router.WorkFlops(new WorkEstimate { AcceleratorHours = 1 }));
        Assert.Throws<ArgumentException>(() => _router.Plan(Request(Job(WorkEstimate.Hours(1, Slug("tpu-v9"))), [Reachable(Advert(DE, Capacity(H100, 1, 1)))])));
    }

    [Fact]
    public void Plan_TransferCountsOnlyInputsWhoseHomeIsElsewhere()
    {
        var candidates = new[] { Reachable(Advert(FR, Capacity(H100, 1, 1))), Reachable(Advert(DE, Capacity(H100, 1, 1))) };

        var decision = _router.Plan(Request(Job(), candidates, Input(Registry, sizeBytes: 3_000_000_000), Input("DE/biobank", sizeBytes: 1_000_000_000)));

        Assert.Equal(1_000_000_000, Verdict(decision, FR).Score!.TransferBytes);
        Assert.Equal(3_000_000_000, Verdict(decision, DE).Score!.TransferBytes);
        Assert.Equal(3 * 0.06, Verdict(decision, DE).Score!.TransferKwh, Tolerance);
        Assert.Equal(FR, decision.Chosen);
    }

    [Fact]
    public void Plan_NoFreeAccelerator_AddsOneQueuedJobOfWait()
    {
        var free = _router.Plan(Request(Job(), [Reachable(Advert(DE, Capacity(H100, 1, 2)) with { QueueDepth = 3 })]));
        var busy = _router.Plan(Request(Job(), [Reachable(Advert(DE, Capacity(H100, 0, 2)) with { QueueDepth = 3 })]));

        Assert.Equal(1.5, Verdict(free, DE).Score!.ExpectedWaitHours, Tolerance);
        Assert.Equal(2.5, Verdict(busy, DE).Score!.ExpectedWaitHours, Tolerance);
        Assert.Equal(10, Verdict(busy, DE).Score!.Total - Verdict(free, DE).Score!.Total, Tolerance);
    }

    [Fact]
    public void Plan_OtherWeights_AreUsedAndRecorded()
    {
        var weights = new ScoreWeights { PerGco2e = 2, PerWaitHour = 3, TransferKwhPerGb = 0.1, QueuedJobHours = 2 };
        var router = new Router(ReferenceTables.Shipped, weights, [1]);
        var advert = Advert(DE, Capacity(H100, 0, 4)) with { QueueDepth = 2 };

        var decision = router.Plan(Request(Job(), [Reachable(advert)], Input(Registry, sizeBytes: 10_000_000_000)));

        var score = Verdict(decision, DE).Score!;
        var grams = ((10 * 312.0 / 989 * 700 / 1000 * 1.2) + (10 * 0.1)) * 50;
        var wait = (2 * 2.0 / 4) + 2;
        Assert.Equal(wait, score.ExpectedWaitHours, Tolerance);
        Assert.Equal((2 * grams) + (3 * wait), score.Total, Tolerance);
        Assert.Equal(weights, decision.Weights);
    }

    // ---- each exclusion rule, with its reason ----

    [Fact]
    public void Reachability_NeverAdvertised_Excluded()
    {
        var decision = _router.Plan(Request(Job(), [new CandidateNation(DE, PeerHealth.Reachable, "no advert received yet", null)]));

        Assert.Equal(new Exclusion(RoutingRule.Reachability, "DE has not advertised its capacity yet (no advert received yet)"), OnlyExclusion(decision, DE));
        Assert.Null(decision.Chosen);
        Assert.Equal("no nation can run this job (DE: reachability)", decision.Summary);
    }

    [Fact]
    public void Reachability_UnreachableWithAdvert_Excluded()
    {
        var candidate = new CandidateNation(SE, PeerHealth.Unreachable, "missed 3 advert intervals", Advert(SE, Capacity(H100, 1, 1)));

        var decision = _router.Plan(Request(Job(), [candidate]));

        Assert.Equal(new Exclusion(RoutingRule.Reachability, "SE is unreachable: missed 3 advert intervals"), OnlyExclusion(decision, SE));
        Assert.Null(Verdict(decision, SE).Score);
    }

    [Fact]
    public void Reachability_UnknownHealthWithAdvert_Allowed()
    {
        var candidate = new CandidateNation(DE, PeerHealth.Unknown, "first advert just received", Advert(DE, Capacity(H100, 1, 1)));

        var decision = _router.Plan(Request(Job(), [candidate]));

        Assert.True(Verdict(decision, DE).Feasible);
        Assert.Equal(DE, decision.Chosen);
    }

    [Fact]
    public void ProtocolVersion_NoCommonVersion_Excluded()
    {
        var candidates = new[] { Reachable(Advert(DE, Capacity(H100, 1, 1)) with { ProtocolVersions = [2] }) };

        var decision = _router.Plan(Request(Job(), candidates));
        var speaksBoth = new Router(ReferenceTables.Shipped, ScoreWeights.Default, [1, 2]).Plan(Request(Job(), candidates));

        Assert.Equal(new Exclusion(RoutingRule.ProtocolVersion, "DE speaks federation protocol version(s) 2; this nation speaks 1"), OnlyExclusion(decision, DE));
        Assert.Equal(DE, speaksBoth.Chosen);
    }

    [Fact]
    public void Residency_HomeOnly_ExcludedElsewhereWithReason()
    {
        var candidates = new[] { Reachable(Advert(FR, Capacity(L4, 1, 1))), Reachable(Advert(DE, Capacity(H100, 1, 1))) };

        var decision = _router.Plan(Request(Job(), candidates, Input(Registry, Residency.HomeOnly)));

        Assert.Equal(new Exclusion(RoutingRule.Residency, "dataset FR/cancer-registry may be processed only in FR, not in DE", Registry), OnlyExclusion(decision, DE));
        Assert.Equal(FR, decision.Chosen);
        Assert.StartsWith("FR: lowest score ", decision.Summary, StringComparison.Ordinal);
        Assert.EndsWith(" of 1 feasible nation(s); excluded DE: residency", decision.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Residency_ListedNations_HomeAndListedAllowed()
    {
        var residency = new Residency(ResidencyKind.ListedNations, [DE]);
        var candidates = new[] { Reachable(Advert(DE, Capacity(H100, 1, 1))), Reachable(Advert(SE, Capacity(H100, 1, 1))) };

        var decision = _router.Plan(Request(Job(), candidates, Input(Registry, residency)));

        Assert.True(Verdict(decision, DE).Feasible);
        Assert.Equal("dataset FR/cancer-registry may be processed only in FR, DE, not in SE", OnlyExclusion(decision, SE).Reason);
    }

    [Fact]
    public void DataUse_PermissionNotMet_ExcludedEverywhereWithDuoReason()
    {
        var job = Job() with { Purpose = new JobPurpose { Use = ResearchCategory.General } };
        var candidates = new[] { Reachable(Advert(FR, Capacity(H100, 1, 1))), Reachable(Advert(DE, Capacity(H100, 1, 1))) };

        var decision = _router.Plan(Request(job, candidates, Input(Registry, dataUse: Conditions(DuoPermission.HMB))));

        var expected = new Exclusion(RoutingRule.DataUse,
            "dataset FR/cancer-registry: HMB (DUO:0000006) allows health/medical/biomedical research only; the purpose is general research", Registry, "HMB");
        Assert.Equal(expected, OnlyExclusion(decision, FR));
        Assert.Equal(expected, OnlyExclusion(decision, DE));
        Assert.Null(decision.Chosen);
        Assert.Equal("no nation can run this job (DE: dataUse; FR: dataUse)", decision.Summary);
    }

    [Fact]
    public void DataUse_GeographicRestriction_JudgedForEachProcessingNation()
    {
        var conditions = With(DuoModifier.GS) with { Nations = [FR, SE] };
        var candidates = new[] { Reachable(Advert(DE, Capacity(H100, 1, 1))), Reachable(Advert(SE, Capacity(H100, 1, 1))) };

        var decision = _router.Plan(Request(Job(), candidates, Input(Registry, dataUse: conditions)));

        Assert.Equal(new Exclusion(RoutingRule.DataUse,
            "dataset FR/cancer-registry: GS (DUO:0000022) allows use only in FR, SE; the data would be processed in DE", Registry, "GS"), OnlyExclusion(decision, DE));
        Assert.Equal(SE, decision.Chosen);
    }

    [Fact]
    public void DataUse_TimeLimit_JudgedOnTheDayOfTheDecision()
    {
        var expired = With(DuoModifier.TS) with { ValidUntil = new DateOnly(2025, 5, 31) };
        var valid = With(DuoModifier.TS) with { ValidUntil = new DateOnly(2025, 6, 1) };
        var candidates = new[] { Reachable(Advert(DE, Capacity(H100, 1, 1))) };

        Assert.Equal("TS", OnlyExclusion(_router.Plan(Request(Job(), candidates, Input(Registry, dataUse: expired))), DE).Code);
        Assert.Equal(DE, _router.Plan(Request(Job(), candidates, Input(Registry, dataUse: valid))).Chosen);
    }

    [Fact]
    public void Workload_NotOffered_ExcludedWithWhatIsOffered()
    {
        var offersOther = Advert(DE, Capacity(H100, 1, 1)) with { Workloads = [new WorkloadRef("infer", "2.0"), new WorkloadRef("train", "0.9")] };
        var offersNone = Advert(SE, Capacity(H100, 1, 1)) with { Workloads = [] };

        var decision = _router.Plan(Request(Job(), [Reachable(offersOther), Reachable(offersNone)]));

        Assert.Equal(new Exclusion(RoutingRule.Workload, "DE does not offer workload train@1.0 (it offers infer@2.0, train@0.9)", "train@1.0"), OnlyExclusion(decision, DE));
        Assert.Equal("SE does not offer workload train@1.0 (it offers none)", OnlyExclusion(decision, SE).Reason);
    }

    [Fact]
    public void AcceleratorFit_ModelMemoryOrCountUnmet_ExcludedWithWhatItHasAndNeeds()
    {
        var wantsBig = new AcceleratorRequest { Count = 2, MinMemoryGb = 40, Models = [H100, A100] };
        var decision = _router.Plan(Request(Job(accelerators: wantsBig), [
            Reachable(Advert(DE, Capacity(L4, 4, 4), Capacity(Slug("tpu-v5"), 8, 8))),
            Reachable(Advert(SE)),
            Reachable(Advert(FR, Capacity(H100, 1, 1))),
        ]));

        Assert.Equal(new Exclusion(RoutingRule.AcceleratorFit,
            "DE has 4 x l4 (24 GB), 8 x tpu-v5 (not in this nation's accelerator table); the job needs 2 x h100-sxm or a100-80gb-sxm with at least 40 GB"),
            OnlyExclusion(decision, DE));
        Assert.Equal("SE advertises no accelerators; the job needs 2 x h100-sxm or a100-80gb-sxm with at least 40 GB", OnlyExclusion(decision, SE).Reason);
        Assert.Equal("FR has 1 x h100-sxm (80 GB); the job needs 2 x h100-sxm or a100-80gb-sxm with at least 40 GB", OnlyExclusion(decision, FR).Reason);

        var anyOne = _router.Plan(Request(Job(), [Reachable(Advert(SE))]));
        Assert.Equal("SE advertises no accelerators; the job needs 1 x any accelerator", OnlyExclusion(anyOne, SE).Reason);
    }

    [Fact]
    public void AcceleratorFit_CountedAgainstTotalNotFree()
    {
        var decision = _router.Plan(Request(Job(accelerators: new AcceleratorRequest { Count = 4 }), [Reachable(Advert(DE, Capacity(H100, 0, 4)))]));

        Assert.Equal(DE, decision.Chosen);
        Assert.Equal(1, Verdict(decision, DE).Score!.ExpectedWaitHours, Tolerance);
    }

    [Fact]
    public void Walltime_EveryFittingModelTooSlow_ExcludedNamingTheFastest()
    {
        // 10 h of a100 work: 10 h on an a100, 25.79 h on an l4; the limit is 5 h.
        var job = Job() with { Walltime = TimeSpan.FromHours(5) };

        var decision = _router.Plan(Request(job, [Reachable(Advert(DE, Capacity(L4, 1, 1), Capacity(A100, 1, 1)))]));

        Assert.Equal(new Exclusion(RoutingRule.Walltime,
            "the fastest fitting accelerator in DE, 1 x a100-80gb-sxm, would run 10 h, over the walltime limit of 5 h", "a100-80gb-sxm"),
            OnlyExclusion(decision, DE));
    }

    [Fact]
    public void Walltime_ModelOverTheLimit_SkippedForOneWithin()
    {
        // l4 has the lower total (111 vs 132 gCO2e) but runs 25.79 h; h100-sxm runs 3.15 h.
        var advert = Advert(DE, Capacity(L4, 1, 1), Capacity(H100, 1, 1));

        var unlimited = _router.Plan(Request(Job(), [Reachable(advert)]));
        var limited = _router.Plan(Request(Job() with { Walltime = TimeSpan.FromHours(5) }, [Reachable(advert)]));

        Assert.Equal(L4, Verdict(unlimited, DE).Score!.Accelerator);
        Assert.Equal(H100, Verdict(limited, DE).Score!.Accelerator);
    }

    [Fact]
    public void Deadline_EveryModelFinishesLate_ExcludedWithTheEarliestFinish()
    {
        var job = Job() with { Deadline = Now.AddHours(5) };

        var decision = _router.Plan(Request(job, [Reachable(Advert(DE, Capacity(A100, 1, 1)))]));

        Assert.Equal(new Exclusion(RoutingRule.Deadline,
            "the earliest finish in DE is 2025-06-01 22:00 UTC on a100-80gb-sxm (wait 0 h + run 10 h), after the deadline 2025-06-01 17:00 UTC", "a100-80gb-sxm"),
            OnlyExclusion(decision, DE));
    }

    [Fact]
    public void Deadline_CountsTheExpectedWait()
    {
        // 10 h run; the deadline is 10.5 h away. With no free a100 the wait is 1 h, so it finishes late.
        var job = Job() with { Deadline = Now.AddHours(10.5) };

        var free = _router.Plan(Request(job, [Reachable(Advert(DE, Capacity(A100, 1, 1)))]));
        var busy = _router.Plan(Request(job, [Reachable(Advert(DE, Capacity(A100, 0, 1)))]));

        Assert.Equal(DE, free.Chosen);
        Assert.Equal(RoutingRule.Deadline, OnlyExclusion(busy, DE).Rule);
        Assert.Contains("(wait 1 h + run 10 h)", OnlyExclusion(busy, DE).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Deadline_AbsurdWorkEstimate_ExcludedRatherThanThrown()
    {
        // 1e32 FLOPs on an h100 is ~2.8e13 h: the finish is past DateTimeOffset.MaxValue.
        var job = Job(WorkEstimate.Operations(1e32)) with { Deadline = Now.AddHours(1) };

        var decision = _router.Plan(Request(job, [Reachable(Advert(DE, Capacity(H100, 1, 1)))]));

        var exclusion = OnlyExclusion(decision, DE);
        Assert.Equal(RoutingRule.Deadline, exclusion.Rule);
        Assert.StartsWith("the earliest finish in DE is beyond 9999-12-31 on h100-sxm", exclusion.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Exclusions_EveryFailingRuleIsListed()
    {
        var candidate = new CandidateNation(DE, PeerHealth.Unreachable, "missed 3 advert intervals",
            Advert(DE, Capacity(L4, 1, 1)) with { ProtocolVersions = [2], Workloads = [] });
        var job = Job(accelerators: new AcceleratorRequest { Count = 1, Models = [H100] }) with { Purpose = new JobPurpose { Use = ResearchCategory.General } };

        var decision = _router.Plan(Request(job, [candidate], Input(Registry, Residency.HomeOnly, Conditions(DuoPermission.HMB, null, DuoModifier.NCU))));

        Assert.Equal(
            [RoutingRule.Reachability, RoutingRule.ProtocolVersion, RoutingRule.Residency, RoutingRule.DataUse, RoutingRule.Workload, RoutingRule.AcceleratorFit],
            Verdict(decision, DE).Exclusions.Select(e => e.Rule));
        Assert.Equal("no nation can run this job (DE: reachability, protocolVersion, residency, dataUse, workload, acceleratorFit)", decision.Summary);
    }

    // ---- ranking ----

    [Fact]
    public void Ranking_EqualTotals_LowerNationCodeFirst()
    {
        var candidates = new[] { Reachable(Advert(SE, Capacity(H100, 1, 1))), Reachable(Advert(DE, Capacity(H100, 1, 1))) };

        var decision = _router.Plan(Request(Job(), candidates));

        Assert.Equal(DE, decision.Chosen);
        Assert.Equal([(DE, 1), (SE, 2)], decision.Candidates.Select(c => (c.Nation, c.Rank!.Value)));
        Assert.Equal(decision.Candidates[0].Score!.Total, decision.Candidates[1].Score!.Total);
    }

    [Fact]
    public void Ranking_FeasibleByTotalThenExcludedByNationCode()
    {
        var candidates = new[]
        {
            Reachable(Advert(SE, Capacity(H100, 1, 1)) with { GridIntensityGco2PerKwh = 20 }),
            Reachable(Advert(Nation("NL"))),
            Reachable(Advert(FR, Capacity(H100, 1, 1)) with { GridIntensityGco2PerKwh = 60 }),
            new CandidateNation(Nation("AT"), PeerHealth.Unknown, "never heard from", null),
            Reachable(Advert(DE, Capacity(H100, 1, 1)) with { GridIntensityGco2PerKwh = 400 }),
        };

        var decision = _router.Plan(Request(Job(), candidates));

        Assert.Equal(["SE", "FR", "DE", "AT", "NL"], decision.Candidates.Select(c => c.Nation.Value));
        Assert.Equal([1, 2, 3, null, null], decision.Candidates.Select(c => c.Rank));
        Assert.Equal(SE, decision.Chosen);
        Assert.EndsWith("of 3 feasible nation(s); excluded AT: reachability; NL: acceleratorFit", decision.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void PickedModel_IsTheLowestTotalInTheNation_NotTheLowestEnergy()
    {
        // l4 uses less energy than h100-sxm for this job (1.86 vs 2.21 kWh before PUE), so it wins when
        // both are free; with 8 queued jobs on 2 l4s (4 h wait) against 8 h100s (1 h), h100-sxm wins.
        var idle = Advert(DE, Capacity(H100, 8, 8), Capacity(L4, 2, 2));
        var queued = idle with { QueueDepth = 8 };

        var whenIdle = Verdict(_router.Plan(Request(Job(), [Reachable(idle)])), DE).Score!;
        var whenQueued = Verdict(_router.Plan(Request(Job(), [Reachable(queued)])), DE).Score!;

        Assert.Equal(L4, whenIdle.Accelerator);
        Assert.Equal(10 * 312.0 / 121 * 72 / 1000 * 1.2 * 50, whenIdle.Total, Tolerance);
        Assert.Equal(H100, whenQueued.Accelerator);
        Assert.Equal((10 * 312.0 / 989 * 700 / 1000 * 1.2 * 50) + (10 * 1.0), whenQueued.Total, Tolerance);
        Assert.True(whenQueued.Total < (10 * 312.0 / 121 * 72 / 1000 * 1.2 * 50) + (10 * 4.0));
    }

    [Fact]
    public void PickedModel_EqualTotals_LowerSlugFirst()
    {
        var twin = ReferenceTables.Load(new ReferenceOverrides
        {
            Accelerators = { ["a100-twin"] = new AcceleratorOverride { Model = "A100 twin", MemoryGb = 80, TdpWatts = 400, Bf16DenseTflops = 312 } },
        });
        var advert = Advert(DE, Capacity(Slug("a100-twin"), 1, 1), Capacity(A100, 1, 1));

        var decision = new Router(twin).Plan(Request(Job(), [Reachable(advert)]));

        Assert.Equal(A100, Verdict(decision, DE).Score!.Accelerator);
    }

    [Fact]
    public void Plan_NoCandidates_NoneChosen()
    {
        var decision = _router.Plan(Request(Job(), []));

        Assert.Null(decision.Chosen);
        Assert.Empty(decision.Candidates);
        Assert.Equal("no nation can run this job: there are no candidate nations", decision.Summary);
        Assert.Equal(Now, decision.DecidedAt);
        Assert.Equal("FR/train-1", decision.Job.ToString());
    }

    [Fact]
    public void Plan_InputsNotTheJobs_Throws()
    {
        var candidates = new[] { Reachable(Advert(DE, Capacity(H100, 1, 1))) };
        var request = Request(Job(), candidates, Input(Registry, Residency.HomeOnly));

        Assert.Throws<ArgumentException>(() => _router.Plan(request with { Inputs = [] }));
        Assert.Throws<ArgumentException>(() => _router.Plan(request with { Spec = request.Spec with { Inputs = [] } }));
        Assert.Throws<ArgumentException>(() => _router.Plan(request with { Inputs = [Input("DE/other")] }));
    }
}
