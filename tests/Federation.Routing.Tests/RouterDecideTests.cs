using System.Collections.Immutable;
using CsCheck;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Reference;
using Federation.Testing;
using static Federation.Routing.Tests.RouterFixtures;

namespace Federation.Routing.Tests;

/// <summary>
/// <see cref="Router.Decide"/>: the same choice as <see cref="Router.Plan"/> (property over random federations), and
/// no allocation in steady state, with or without inputs (measured with the thread's allocation counter).
/// </summary>
public sealed class RouterDecideTests
{
    private static readonly int Iterations = TestProfile.Pick(ci: 1_000, full: 10_000);
    private static readonly Router _router = new(ReferenceTables.Shipped);

    [Fact]
    public void Decide_AnyFederation_ChoosesWhatPlanRanksFirst() =>
        RouterGenerators.Request.Sample(request =>
        {
            var decision = _router.Plan(request);
            var choice = _router.Decide(request);
            var first = decision.Candidates.OrEmpty().FirstOrDefault(c => c.Rank == 1);
            Assert.Equal(decision.Chosen, choice.Chosen);
            Assert.Equal(first?.Score?.Accelerator, choice.Accelerator);
            Assert.Equal(first?.Score?.Total ?? double.NaN, choice.Total);
            Assert.Equal(decision.Candidates.OrEmpty().Count(c => c.Feasible), choice.Feasible);
            Assert.Equal(decision.Candidates.OrEmpty().Length, choice.Candidates);
        }, iter: Iterations, print: Print);

    [Fact]
    public void Decide_JobWithoutInputs_AllocatesNothingInSteadyState()
    {
        var request = Request(Job(), Federation(180));

        var bytes = AllocatedPerDecision(request);

        Assert.True(bytes == 0, $"Decide allocated {bytes} bytes per decision at 180 nations; expected none");
        Assert.NotNull(_router.Decide(request).Chosen);
    }

    /// <summary>Allows and Check share their rules; a refusal must still name a term (Check writes reasons from the distinct, ordered modifiers, Allows reads them as stored).</summary>
    [Fact]
    public void AllowsAndCheck_AnyConditionsAndPurpose_AgreeAndEveryRefusalNamesATerm() =>
        Gen.Select(RouterGenerators.Conditions([Nation("FR"), Nation("DE"), Nation("SE")]), RouterGenerators.Purposes, Gen.OneOf("alice", "bob"), Gen.OneOf(Nation("FR"), Nation("DE"), Nation("IT")))
            .Sample((conditions, declared, user, nation) =>
            {
                var purpose = Purpose.Of(declared, user, nation, DateOnly.FromDateTime(Now.UtcDateTime));
                var decision = DataUseMatcher.Check(conditions, purpose);
                Assert.Equal(decision.Allowed, DataUseMatcher.Allows(conditions, purpose));
                Assert.Equal(decision.Allowed, decision.Reasons.IsEmpty);
            }, iter: Iterations);

    /// <summary>Every kind of input the routing benchmark generates, alone and all together, at 3 and 100 nations, for a purpose that meets its terms and one that fails them.</summary>
    public static TheoryData<string, int, bool> InputKinds()
    {
        var data = new TheoryData<string, int, bool>();
        foreach (var kind in new[] { "open", "home-only", "health", "ancestry", "all" })
        {
            foreach (var nations in new[] { 3, 100 })
            {
                data.Add(kind, nations, true);
                data.Add(kind, nations, false);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InputKinds))]
    public void Decide_JobWithInputs_AllocatesNothingInSteadyState(string kind, int nations, bool fitted)
    {
        var inputs = kind == "all" ? [.. Kinds.Values.Select(k => k.Input)] : new[] { Kinds[kind].Input };
        var job = Job() with
        {
            Owner = new JobOwner(fitted ? "alice" : "mallory", null),
            Purpose = fitted && kind != "all" ? Kinds[kind].Fitted : Unfitted,
        };
        var request = Request(job, Federation(nations), inputs);

        var bytes = AllocatedPerDecision(request);

        Assert.True(bytes == 0, $"Decide allocated {bytes} bytes per decision for {kind} inputs at {nations} nations ({(fitted ? "a purpose that meets their terms" : "a purpose they refuse")}); expected none");
        var choice = _router.Decide(request);
        Assert.Equal(_router.Plan(request).Chosen, choice.Chosen);
        Assert.Equal(fitted && kind != "all", choice.Chosen is not null);
    }

    private static DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    /// <summary>A purpose every term of <see cref="Kinds"/> refuses: clinical care, commercial, for profit, no ethics approval, publishing at once.</summary>
    private static JobPurpose Unfitted { get; } = new()
    {
        Use = ResearchCategory.ClinicalCare,
        Commercial = true,
        ForProfit = true,
        MethodsDevelopment = true,
        PublicationPlannedOn = Today,
    };

    /// <summary>The benchmark's kinds of input (RoutingJobs), each homed in FR, with a purpose (of user alice) that meets its terms.</summary>
    private static Dictionary<string, (InputDataset Input, JobPurpose Fitted)> Kinds { get; } = new()
    {
        ["open"] = (
            Input("FR/open", dataUse: DataUseConditions.Unrestricted with { Permission = DuoPermission.GRU, Modifiers = [DuoModifier.NCU, DuoModifier.PUB] }, sizeBytes: 1_000),
            new JobPurpose { Use = ResearchCategory.General, PublicationCommitted = true }),
        ["home-only"] = (
            Input("FR/registry", Residency.HomeOnly, DataUseConditions.Unrestricted with { Permission = DuoPermission.HMB, Modifiers = [DuoModifier.IRB, DuoModifier.NPU] }),
            new JobPurpose { Use = ResearchCategory.HealthMedicalBiomedical, EthicsApprovalReference = "IRB-2025-001" }),
        ["health"] = (
            Input("FR/cancer", new Residency(ResidencyKind.ListedNations, [Nation("DE"), Nation("SE")]), DataUseConditions.Unrestricted with
            {
                Permission = DuoPermission.DS,
                DiseaseTerm = "MONDO:0004992",
                Modifiers = [DuoModifier.IRB, DuoModifier.GS, DuoModifier.TS, DuoModifier.NPU, DuoModifier.GSO],
                Nations = [Nation("FR"), Nation("DE"), Nation("SE")],
                ValidUntil = Today.AddDays(30),
            }, 5_000_000_000),
            new JobPurpose { Use = ResearchCategory.DiseaseSpecific, DiseaseTerm = " mondo:0004992", Genetic = true, EthicsApprovalReference = "IRB-2025-001" }),
        ["ancestry"] = (
            Input("FR/ancestry", new Residency(ResidencyKind.ListedNations, [Nation("DE")]), DataUseConditions.Unrestricted with
            {
                Permission = DuoPermission.POA,
                Modifiers = [DuoModifier.US, DuoModifier.PS, DuoModifier.IS, DuoModifier.MOR, DuoModifier.COL],
                Users = ["alice", "bruno"],
                Projects = ["gen-cohort"],
                Institutions = ["inserm", "ucl"],
                MoratoriumUntil = Today.AddDays(10),
            }, 20_000_000),
            new JobPurpose
            {
                Use = ResearchCategory.PopulationOriginsAncestry,
                Project = "gen-cohort",
                Institution = "ucl",
                CollaboratorAgreed = true,
                PublicationPlannedOn = Today.AddDays(40),
            }),
    };

    /// <summary>Bytes this thread allocates per decision, after decisions enough for tiered compilation to settle.</summary>
    private static long AllocatedPerDecision(RoutingRequest request)
    {
        const int Decisions = 200;
        for (var i = 0; i < 2_000; i++)
        {
            _router.Decide(request);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Decisions; i++)
        {
            _router.Decide(request);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / Decisions;
    }

    /// <summary><paramref name="count"/> nations, each reachable with an advert of H100s and A100s; DE's grid is the cleanest.</summary>
    private static ImmutableArray<CandidateNation> Federation(int count)
    {
        var codes = new List<string> { "DE", "FR", "SE" };
        for (var a = 'A'; a <= 'Z' && codes.Count < count; a++)
        {
            for (var b = 'A'; b <= 'Z' && codes.Count < count; b++)
            {
                var code = $"{a}{b}";
                if (Iso3166.IsAssigned(code) && !codes.Contains(code))
                {
                    codes.Add(code);
                }
            }
        }

        return [.. codes.Take(count).Select(code =>
        {
            var advert = Advert(Nation(code), Capacity(H100, 4, 8), Capacity(A100, 0, 16));
            return Reachable(code == "DE" ? advert with { GridIntensityGco2PerKwh = 20 } : advert);
        })];
    }
}
