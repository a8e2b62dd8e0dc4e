using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Execution;
using Federation.Execution.Simulated;
using Federation.Reference;
using Federation.Routing;
using Federation.Routing.Energy;

namespace Federation.Unit.Tests.Jobs;

/// <summary>
/// The router's estimate and the execution's bill come from one energy model: on the same run (the
/// estimated run time is the actual one, the same accelerator, PUE and grid) they agree to the watt-hour.
/// </summary>
public sealed class EnergyAgreementTests
{
    private static readonly ReferenceTables Table = ReferenceTables.Shipped;
    private static readonly NationCode France = TypedId.Parse<NationCode>("FR");
    private static readonly AcceleratorSlug A100 = TypedId.Parse<AcceleratorSlug>("a100-80gb-sxm");
    private static readonly ExecutorSettings TenSecondsPerHour = new() { SecondsPerEstimatedHour = 10 };

    private static JobSpec Spec(double hours, int count, AcceleratorSlug model) => new()
    {
        Id = "energy",
        Owner = new JobOwner("alice", null),
        Purpose = new JobPurpose { Use = ResearchCategory.General },
        Accelerators = new AcceleratorRequest { Count = count, Models = [model] },
        Work = WorkEstimate.Hours(hours, A100),
        Walltime = TimeSpan.FromDays(400),
        Workload = new WorkloadCall { Name = "demo-train", Version = "1.0" },
    };

    private static CandidateNation Nation(AcceleratorSlug model, double pue, double intensity) => new(France, PeerHealth.Reachable, "local", new CapabilityAdvert
    {
        Nation = France,
        Name = "France",
        Accelerators = [new AcceleratorCapacity(model, 16, 16)],
        Pue = pue,
        GridZone = "FR",
        GridIntensityGco2PerKwh = intensity,
        QueueDepth = 0,
        Workloads = [new WorkloadRef("demo-train", "1.0")],
        SoftwareVersion = "1.0.0",
        ProtocolVersions = [1],
        IssuedAt = DateTimeOffset.UnixEpoch,
        Sequence = 1,
    });

    /// <summary>What the execution grain bills for a simulated run that ends after <paramref name="elapsed"/>, with no inputs staged.</summary>
    private static JobResult Bill(JobSpec spec, AcceleratorSlug slug, TimeSpan elapsed, double pue, double intensity, Router router)
    {
        var run = SimulatedRun.For(spec, slug, Table, TenSecondsPerHour);
        var power = PowerFigure.Tdp(Table.FindAccelerator(slug), spec.Accelerators.Count);
        return EnergyBill.Result(EnergyModel.Of(power, run.RunHours(elapsed), pue, 0, router.Weights.TransferKwhPerGb, intensity), 0, "finished", "simulated");
    }

    [Theory]
    [InlineData("a100-80gb-sxm", 8, 2, 1.3)]
    [InlineData("h100-sxm", 100, 4, 1.1)]
    [InlineData("l4", 3.5, 1, 1.6)]
    [InlineData("v100-sxm2", 1000, 8, 1.05)]
    public void EstimateAndBill_SameRun_AgreeToTheWattHour(string model, double hours, int count, double pue)
    {
        var slug = TypedId.Parse<AcceleratorSlug>(model);
        var spec = Spec(hours, count, slug);
        var intensity = Table.FindGridZone("FR")!.Gco2PerKwh;
        var router = new Router(Table);
        var decision = router.Plan(new RoutingRequest { Job = TypedId.Parse<JobRef>("FR/energy-1"), Spec = spec, Now = DateTimeOffset.UnixEpoch, Candidates = [Nation(slug, pue, intensity)] });
        var estimate = Assert.Single(decision.Candidates).Score!;
        var run = SimulatedRun.For(spec, slug, Table, TenSecondsPerHour);

        var bill = Bill(spec, slug, run.Duration, pue, intensity, router);

        Assert.Equal(France, decision.Chosen);
        Assert.Equal(estimate.RunHours * 3600, bill.RunSeconds, 3);
        Assert.InRange(Math.Abs(estimate.ComputeKwh + estimate.TransferKwh - bill.EnergyKwh!.Value), 0, 0.001);
        Assert.InRange(Math.Abs(estimate.TotalGco2e - bill.EmissionsGco2e!.Value), 0, 0.001 * intensity);
        Assert.Equal("tdp-estimate", bill.EnergyMethod);
    }

    [Fact]
    public void EstimateAndBill_RunTwiceAsLong_BillIsTwiceTheEstimate()
    {
        var spec = Spec(8, 2, A100);
        var router = new Router(Table);
        var decision = router.Plan(new RoutingRequest { Job = TypedId.Parse<JobRef>("FR/energy-2"), Spec = spec, Now = DateTimeOffset.UnixEpoch, Candidates = [Nation(A100, 1.2, 55.2)] });
        var estimate = Assert.Single(decision.Candidates).Score!;
        var run = SimulatedRun.For(spec, A100, Table, TenSecondsPerHour);

        var bill = Bill(spec, A100, run.Duration * 2, 1.2, 55.2, router);

        Assert.Equal(2 * estimate.ComputeKwh, bill.EnergyKwh!.Value, 9);
    }
}
