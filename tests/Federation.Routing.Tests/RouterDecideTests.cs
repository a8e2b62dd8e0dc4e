using System.Collections.Immutable;
using CsCheck;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Reference;
using Federation.Testing;
using static Federation.Routing.Tests.RouterFixtures;

namespace Federation.Routing.Tests;

/// <summary>
/// <see cref="Router.Decide"/>: the same choice as <see cref="Router.Plan"/> (property over random federations), and
/// no allocation per candidate nation in steady state (measured with the thread's allocation counter).
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

    [Fact]
    public void Decide_JobWithRestrictedInputs_AllocatesTheSameAt180NationsAsAt3()
    {
        var inputs = new[]
        {
            Input("FR/cancer-registry", new Residency(ResidencyKind.ListedNations, [Nation("DE"), Nation("SE")]), sizeBytes: 5_000_000_000),
            Input("DE/cohort", dataUse: DataUseConditions.Unrestricted with { Permission = DuoPermission.HMB, Modifiers = [DuoModifier.GS], Nations = [Nation("DE"), Nation("FR")] }),
            Input("SE/open", sizeBytes: 1_000),
        };

        var few = AllocatedPerDecision(Request(Job(), Federation(3), inputs));
        var many = AllocatedPerDecision(Request(Job(), Federation(180), inputs));

        // Per decision, each input's data-use check allocates its purpose; per candidate nation nothing does. One object
        // per nation would add at least 24 bytes x 177 nations; tiered compilation may move a few bytes either way.
        Assert.True(Math.Abs(many - few) < 100, $"Decide allocated {few} bytes per decision at 3 nations but {many} at 180; the cost per nation must be none");
        Assert.True(many <= 2_048, $"Decide allocated {many} bytes per decision for 3 inputs; expected at most 2 KB");
        Assert.Equal(Nation("DE"), _router.Decide(Request(Job(), Federation(180), inputs)).Chosen);
    }

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
