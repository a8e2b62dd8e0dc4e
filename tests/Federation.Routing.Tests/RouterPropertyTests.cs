using System.Collections.Concurrent;
using CsCheck;
using Federation.Contracts.Ids;
using Federation.Contracts.Routing;
using Federation.Reference;
using Federation.Testing;

namespace Federation.Routing.Tests;

/// <summary>
/// Properties of <see cref="Router.Plan"/> over random federations (<see cref="RouterGenerators"/>),
/// checked against <see cref="RouterOracle"/>, which re-derives every rule and score on its own.
/// </summary>
public sealed class RouterPropertyTests
{
    // CI keeps the sample that found every bug so far; the release profile looks ten times harder.
    private static readonly int Iterations = TestProfile.Pick(ci: 1_000, full: 10_000);

    private static readonly Router _router = new(ReferenceTables.Shipped);

    private static (RoutingDecision Decision, IReadOnlyDictionary<NationCode, ExpectedVerdict> Expected) Plan(RoutingRequest request) =>
        (_router.Plan(request), RouterOracle.Expect(request, ReferenceTables.Shipped, _router.Weights).ToDictionary(e => e.Nation));

    private static void Sample(Action<RoutingRequest> property) =>
        RouterGenerators.Request.Sample(property, iter: Iterations, print: RouterFixtures.Print);

    private static void That(bool condition, Func<string> because)
    {
        if (!condition)
        {
            Assert.Fail(because());
        }
    }

    private static bool Close(double expected, double actual) =>
        Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected));

    [Fact]
    public void Chosen_NeverViolatesResidencyOrDataUseOfAnyInput() => Sample(request =>
    {
        var decision = _router.Plan(request);
        if (decision.Chosen is not { } chosen)
        {
            return;
        }

        var purpose = Purpose.Of(request.Spec, chosen, RouterFixtures.DayOf(request));
        foreach (var input in request.Inputs)
        {
            That(input.Residency.Allows(input.Ref.Nation, chosen), () => $"{input.Ref} may not be processed in {chosen}");
            Assert.True(ResidencyCheck.Allows(input.Residency, input.Ref, chosen).Allowed);
            var use = DataUseMatcher.Check(input.DataUse, purpose);
            That(use.Allowed, () => $"{input.Ref} in {chosen}: {string.Join("; ", use.Reasons)}");
        }
    });

    [Fact]
    public void FeasibleNationExists_OneIsChosen_OtherwiseNoneAndSummarySaysSo() => Sample(request =>
    {
        var (decision, expected) = Plan(request);
        var feasible = expected.Values.Where(e => e.Feasible).Select(e => e.Nation).ToHashSet();

        Assert.Equal(feasible, decision.Candidates.Where(c => c.Feasible).Select(c => c.Nation).ToHashSet());
        if (feasible.Count > 0)
        {
            Assert.NotNull(decision.Chosen);
            Assert.Contains(decision.Chosen.Value, feasible);
            Assert.StartsWith($"{decision.Chosen}: lowest score ", decision.Summary, StringComparison.Ordinal);
        }
        else
        {
            Assert.Null(decision.Chosen);
            Assert.StartsWith("no nation can run this job", decision.Summary, StringComparison.Ordinal);
        }
    });

    [Fact]
    public void Chosen_HasLowestTotalOfTheFeasible_RanksAreOneToNInTotalOrder() => Sample(request =>
    {
        var (decision, expected) = Plan(request);
        var ranked = decision.Candidates.Where(c => c.Feasible).ToList();

        // Feasible verdicts come first, ranked 1..n; excluded ones have neither rank nor score.
        for (var i = 0; i < decision.Candidates.Length; i++)
        {
            var verdict = decision.Candidates[i];
            That(i < ranked.Count ? verdict.Feasible && verdict.Rank == i + 1 && verdict.Score is not null : verdict.Rank is null && verdict.Score is null,
                () => $"candidate {i} of {decision.Candidates.Length} ({ranked.Count} feasible): {verdict.Nation} rank {verdict.Rank}");
        }

        for (var i = 1; i < ranked.Count; i++)
        {
            var (before, after) = (ranked[i - 1], ranked[i]);
            That(before.Score!.Total < after.Score!.Total
                || (before.Score.Total.Equals(after.Score.Total) && string.CompareOrdinal(before.Nation.Value, after.Nation.Value) < 0),
                () => $"rank {i} {before.Nation} ({before.Score.Total}) before rank {i + 1} {after.Nation} ({after.Score.Total})");
        }

        foreach (var verdict in ranked)
        {
            // The score is the formula's, on the model with the lowest total there.
            var best = expected[verdict.Nation].Best!;
            That(Close(best.Total, verdict.Score!.Total),
                () => $"{verdict.Nation}: expected total {best.Total} on {best.Slug}, got {verdict.Score.Total} on {verdict.Score.Accelerator}");
            var picked = Assert.Single(expected[verdict.Nation].Fitting, o => o.Slug == verdict.Score.Accelerator);
            That(picked.Usable && Close(picked.RunHours, verdict.Score.RunHours) && Close(picked.WaitHours, verdict.Score.ExpectedWaitHours),
                () => $"{verdict.Nation}: picked {picked}, scored {verdict.Score}");
        }

        if (decision.Chosen is { } chosen)
        {
            var lowest = expected.Values.Where(e => e.Feasible).Min(e => e.Best!.Total);
            Assert.Equal(chosen, ranked[0].Nation);
            That(Close(lowest, ranked[0].Score!.Total), () => $"{chosen} scores {ranked[0].Score!.Total}, the lowest feasible total is {lowest}");
        }
    });

    [Fact]
    public void EveryCandidateOnce_EveryExcludedHasExclusions_EachExclusionRuleReallyFails() => Sample(request =>
    {
        var (decision, expected) = Plan(request);

        var asked = string.Join(" ", request.Candidates.Select(c => c.Nation.Value).Order(StringComparer.Ordinal));
        Assert.Equal(asked, string.Join(" ", decision.Candidates.Select(c => c.Nation.Value).Order(StringComparer.Ordinal)));
        var excluded = decision.Candidates.Where(c => !c.Feasible).ToList();
        var excludedInOrder = string.Join(" ", excluded.Select(c => c.Nation.Value));
        Assert.Equal(string.Join(" ", excluded.Select(c => c.Nation.Value).Order(StringComparer.Ordinal)), excludedInOrder);

        foreach (var verdict in excluded)
        {
            var x = expected[verdict.Nation];
            That(!x.Feasible, () => $"{verdict.Nation} is feasible but excluded: {string.Join("; ", verdict.Exclusions)}");
            Assert.NotEmpty(verdict.Exclusions);
            foreach (var exclusion in verdict.Exclusions)
            {
                AssertFails(exclusion, x, request);
            }

            // And the rules that fail on their own are all reported.
            var rules = verdict.Exclusions.Select(e => e.Rule).ToHashSet();
            Reported(RoutingRule.Reachability, !x.Reachable);
            Reported(RoutingRule.ProtocolVersion, x.Advertised && !x.SpeaksCommonVersion);
            Reported(RoutingRule.Workload, x.OffersWorkload == false);
            Reported(RoutingRule.AcceleratorFit, x.Advertised && x.Fitting.IsEmpty);
            var noUsableModel = x.Advertised && !x.Fitting.IsEmpty && !x.Fitting.Any(o => o.Usable);
            That(noUsableModel == (rules.Contains(RoutingRule.Walltime) || rules.Contains(RoutingRule.Deadline)),
                () => $"{verdict.Nation}: no usable model is {noUsableModel}; reported {string.Join("; ", verdict.Exclusions)}");
            That(x.ResidencyForbids.SetEquals(verdict.Exclusions.Where(e => e.Rule == RoutingRule.Residency).Select(e => e.Subject!)),
                () => $"{verdict.Nation}: residency forbids {string.Join(", ", x.ResidencyForbids)}; reported {string.Join("; ", verdict.Exclusions)}");
            That(x.DataUseUnmet.Keys.ToHashSet().SetEquals(verdict.Exclusions.Where(e => e.Rule == RoutingRule.DataUse).Select(e => e.Subject!)),
                () => $"{verdict.Nation}: data use unmet for {string.Join(", ", x.DataUseUnmet.Keys)}; reported {string.Join("; ", verdict.Exclusions)}");

            void Reported(RoutingRule rule, bool fails) =>
                That(fails == rules.Contains(rule), () => $"{verdict.Nation}: {rule} fails: {fails}; reported {string.Join("; ", verdict.Exclusions)}");
        }
    });

    /// <summary>Guards the properties against vacuity: the generator reaches every rule, and both outcomes.</summary>
    [Fact]
    public void Generator_ReachesEveryRuleAndBothOutcomes()
    {
        var seen = new ConcurrentDictionary<string, int>();
        RouterGenerators.Request.Sample(request =>
        {
            var decision = _router.Plan(request);
            seen.AddOrUpdate(decision.Chosen is null ? "none" : "chosen", 1, (_, n) => n + 1);
            seen.AddOrUpdate(request.Inputs.Length > 0 && decision.Chosen is not null ? "chosen with inputs" : "other", 1, (_, n) => n + 1);
            foreach (var rule in decision.Candidates.SelectMany(c => c.Exclusions).Select(e => e.Rule).Distinct())
            {
                seen.AddOrUpdate(rule.ToString(), 1, (_, n) => n + 1);
            }
        }, iter: Iterations, print: RouterFixtures.Print);

        // Exports and Contributors judge only federated plans (FederatedPlanTests); ordinary decisions never apply them.
        var ordinary = Enum.GetValues<RoutingRule>().Where(r => r is not (RoutingRule.Exports or RoutingRule.Contributors)).Select(r => r.ToString());
        Assert.All(ordinary.Append("none").Append("chosen").Append("chosen with inputs"),
            key => That(seen.GetValueOrDefault(key) >= Iterations / 20,
                () => $"{key} seen {seen.GetValueOrDefault(key)} times in {Iterations}: {string.Join(", ", seen)}"));
    }

    private static void AssertFails(Exclusion exclusion, ExpectedVerdict x, RoutingRequest request)
    {
        string What() => $"{x.Nation}: {exclusion.Rule} exclusion '{exclusion.Reason}'";
        That(!string.IsNullOrWhiteSpace(exclusion.Reason), What);
        switch (exclusion.Rule)
        {
            case RoutingRule.Reachability:
                That(!x.Reachable, What);
                break;
            case RoutingRule.ProtocolVersion:
                That(x.Advertised && !x.SpeaksCommonVersion, What);
                break;
            case RoutingRule.Residency:
                That(x.ResidencyForbids.Contains(exclusion.Subject!), What);
                var input = Assert.Single(request.Inputs, i => i.Ref.ToString() == exclusion.Subject);
                That(!input.Residency.Allows(input.Ref.Nation, x.Nation), What);
                Assert.EndsWith($", not in {x.Nation}", exclusion.Reason, StringComparison.Ordinal);
                break;
            case RoutingRule.DataUse:
                That(x.DataUseUnmet.TryGetValue(exclusion.Subject!, out var codes) && codes.Contains(exclusion.Code!), What);
                break;
            case RoutingRule.Workload:
                That(x.OffersWorkload == false, What);
                Assert.Equal(request.Spec.Workload.ToString(), exclusion.Subject);
                break;
            case RoutingRule.AcceleratorFit:
                That(x.Advertised && x.Fitting.IsEmpty, What);
                break;
            case RoutingRule.Walltime:
                Assert.DoesNotContain(x.Fitting, o => o.Usable);
                That(!Assert.Single(x.Fitting, o => o.Slug.Value == exclusion.Subject).WithinWalltime, What);
                break;
            case RoutingRule.Deadline:
                Assert.DoesNotContain(x.Fitting, o => o.Usable);
                var late = Assert.Single(x.Fitting, o => o.Slug.Value == exclusion.Subject);
                That(late.WithinWalltime && !late.MeetsDeadline, What);
                break;
            default:
                Assert.Fail($"unknown rule: {What()}");
                break;
        }
    }
}
