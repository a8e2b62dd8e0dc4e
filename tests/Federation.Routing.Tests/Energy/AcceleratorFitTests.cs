using System.Collections.Immutable;
using CsCheck;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Reference;
using Federation.Routing.Accelerators;
using Federation.Testing;

namespace Federation.Routing.Tests.Energy;

/// <summary>Examples and properties of <see cref="AcceleratorFit"/>, the rule the router, admission and allocation share.</summary>
public sealed class AcceleratorFitTests
{
    private static readonly int Iterations = TestProfile.Pick(ci: 2_000, full: 50_000);

    private static readonly ReferenceTables Table = ReferenceTables.Shipped;

    private static readonly AcceleratorSlug Unknown = RouterFixtures.Slug("tpu-v5");

    private static readonly AcceleratorSlug[] Slugs =
        [.. Table.Accelerators.Select(a => a.Slug).Take(6), Unknown];

    private static readonly Gen<AcceleratorRequest> Request =
        from count in Gen.Int[0, 16]
        from memory in Gen.Int[0, 5].Select(i => new[] { 0.0, 16, 24, 40, 80, 100 }[i])
        from models in Gen.Int[0, Slugs.Length - 1].Array[0, 3]
        select new AcceleratorRequest { Count = count, MinMemoryGb = memory, Models = [.. models.Distinct().Select(i => Slugs[i])] };

    private static readonly Gen<AcceleratorCapacity> Capacity =
        from slug in Gen.Int[0, Slugs.Length - 1]
        from total in Gen.Int[0, 32]
        from free in Gen.Int[0, 32]
        select new AcceleratorCapacity(Slugs[slug], Math.Min(free, total), total);

    private static AcceleratorRequest Want(int count, double memory = 0, params AcceleratorSlug[] models) =>
        new() { Count = count, MinMemoryGb = memory, Models = [.. models] };

    [Fact]
    public void Check_FourH100ForTwo_Fits()
    {
        var verdict = AcceleratorFit.Check(Want(2, 40, RouterFixtures.H100), new AcceleratorCapacity(RouterFixtures.H100, 1, 4), Table);

        Assert.True(verdict.Fits);
        Assert.Null(verdict.Reason);
        Assert.Equal(RouterFixtures.H100, verdict.Spec!.Slug);
    }

    [Theory]
    [InlineData("l4", 8, 2, 0, "a100-80gb-sxm", "model: l4 is not one the job allows (a100-80gb-sxm)")]
    [InlineData("l4", 8, 2, 40, "", "memory: l4 has 24 GB; the job needs at least 40 GB")]
    [InlineData("h100-sxm", 1, 2, 0, "", "count: 1 x h100-sxm in all; the job needs 2")]
    [InlineData("tpu-v5", 8, 2, 0, "", "table: tpu-v5 is not in the accelerator table, so its memory and power are unknown")]
    [InlineData("h100-sxm", 8, 0, 0, "", "the job asks for 0 accelerators; 1 or more")]
    public void Check_Misfit_NamesTheRule(string slug, int total, int count, double memory, string model, string reason)
    {
        var want = Want(count, memory, model.Length == 0 ? [] : [RouterFixtures.Slug(model)]);

        var verdict = AcceleratorFit.Check(want, new AcceleratorCapacity(RouterFixtures.Slug(slug), total, total), Table);

        Assert.False(verdict.Fits);
        Assert.Equal(reason, verdict.Reason);
    }

    [Fact]
    public void Best_PrefersEnoughFreeNow_ThenMostFree_ThenTheFirst()
    {
        var options = ImmutableArray.Create(
            new AcceleratorCapacity(RouterFixtures.L4, 1, 8),
            new AcceleratorCapacity(RouterFixtures.A100, 2, 4),
            new AcceleratorCapacity(RouterFixtures.H100, 3, 4),
            new AcceleratorCapacity(RouterFixtures.V100, 3, 4));

        Assert.Same(options[2], AcceleratorFit.Best(options, c => c, Want(2), Table));
        Assert.Same(options[0], AcceleratorFit.Best(options, c => c, Want(5), Table));
        Assert.Null(AcceleratorFit.Best(options, c => c, Want(9), Table));
    }

    [Fact]
    public void Needs_SaysCountModelsAndMemory()
    {
        Assert.Equal("1 x any accelerator", AcceleratorFit.Needs(Want(1)));
        Assert.Equal("2 x h100-sxm or a100-80gb-sxm with at least 40 GB", AcceleratorFit.Needs(Want(2, 40, RouterFixtures.H100, RouterFixtures.A100)));
    }

    [Fact]
    public void Fits_IsExactlyTheFourConditions() =>
        Gen.Select(Request, Capacity).Sample((want, capacity) =>
        {
            var spec = Table.FindAccelerator(capacity.Slug);
            var expected = want.Count >= 1 && capacity.Total >= want.Count
                && (want.Models.IsEmpty || want.Models.Contains(capacity.Slug))
                && spec is not null && spec.MemoryGb >= want.MinMemoryGb;
            var verdict = AcceleratorFit.Check(want, capacity, Table);

            return AcceleratorFit.Fits(want, capacity.Slug, capacity.Total, Table) == expected
                && verdict.Fits == expected && (verdict.Reason is null) == expected && (verdict.Spec is not null) == expected;
        }, iter: Iterations);

    [Fact]
    public void Fits_IgnoresFreeAndIsMonotoneInTotal() =>
        Gen.Select(Request, Capacity, Gen.Int[0, 32]).Sample((want, capacity, more) =>
            !AcceleratorFit.Fits(want, capacity.Slug, capacity.Total, Table) || AcceleratorFit.Fits(want, capacity.Slug, capacity.Total + more, Table),
            iter: Iterations);

    [Fact]
    public void Best_FitsAndNoOtherFittingOptionIsBetter() =>
        Gen.Select(Request, Capacity.Array[0, 8]).Sample((want, options) =>
        {
            var best = AcceleratorFit.Best(options, c => c, want, Table);
            var fitting = options.Where(c => AcceleratorFit.Fits(want, c.Slug, c.Total, Table)).ToList();
            if (best is null)
            {
                return fitting.Count == 0;
            }

            var oracle = fitting.OrderByDescending(c => c.Free >= want.Count).ThenByDescending(c => c.Free).First();
            return ReferenceEquals(best, oracle);
        }, iter: Iterations);
}
