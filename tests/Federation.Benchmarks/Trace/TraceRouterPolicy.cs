using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Reference;
using Federation.Routing;

namespace Federation.Benchmarks.Trace;

/// <summary>
/// The federation's pure router (<see cref="Router.DecideShifted"/>): each nation advertises its free GPUs at
/// the job's arrival, its queue and a 72-hour forecast (the actual series: a perfect forecast, as Wiesner
/// et al.'s error-free case); the job's input carries its residency. Where and when come from the router.
/// </summary>
internal sealed class TraceRouterPolicy(ReferenceTables reference) : ITracePolicy
{
    private static readonly AcceleratorSlug s_a100 = TypedId.Parse<AcceleratorSlug>("a100-80gb-sxm");
    private static readonly WorkloadCall s_train = new() { Name = "train", Version = "1.0" };
    private readonly Router _router = new(reference);

    public string Name => "federation router";

    public (int Nation, int NotBefore) Place(TraceJob job, TraceSchedule schedule)
    {
        var world = schedule.World;
        var now = world.Start.AddHours(job.Arrival);
        var data = TypedId.Parse<DatasetRef>($"{world.Nations[job.DataHome]}/data-{job.Id}");
        var residency = !job.Pinned
            ? new Residency(ResidencyKind.Anywhere, [])
            : new Residency(ResidencyKind.ListedNations, [.. Enumerable.Range(0, world.Nations.Length).Where(job.Allows).Select(n => TypedId.Parse<NationCode>(world.Nations[n]))]);
        var spec = new JobSpec
        {
            Id = $"trace-{job.Id}",
            Owner = new JobOwner("user", world.Consortia[job.Consortium]),
            Purpose = new JobPurpose { Use = ResearchCategory.General },
            Accelerators = new AcceleratorRequest { Count = job.Gpus },
            Work = WorkEstimate.Hours(job.Hours * job.Gpus, s_a100),
            Walltime = TimeSpan.FromHours(job.Hours + 1),
            Deadline = world.Start.AddHours(job.Deadline),
            Deferrable = job.Deferrable,
            Workload = s_train,
            Inputs = [data],
        };
        var candidates = ImmutableArray.CreateBuilder<CandidateNation>(world.Nations.Length);
        for (var n = 0; n < world.Nations.Length; n++)
        {
            var code = TypedId.Parse<NationCode>(world.Nations[n]);
            var advert = new CapabilityAdvert
            {
                Nation = code,
                Name = world.Nations[n],
                Accelerators = [new AcceleratorCapacity(s_a100, Math.Max(0, schedule.Free(n, job.Arrival)), world.Gpus[n])],
                Pue = TraceWorld.Pue,
                GridZone = world.Nations[n],
                GridIntensityGco2PerKwh = world.Intensity(n, job.Arrival),
                QueueDepth = schedule.Queued(n, job.Arrival),
                Workloads = [new WorkloadRef(s_train.Name, s_train.Version)],
                SoftwareVersion = "trace",
                ProtocolVersions = [1],
                IssuedAt = now,
                Sequence = 1,
                Forecast = new IntensityForecast
                {
                    Source = "series: trace",
                    From = now,
                    Hourly = [.. Enumerable.Range(0, IntensityForecast.MaxHours).Select(h => world.Intensity(n, job.Arrival + h))],
                },
            };
            candidates.Add(new CandidateNation(code, PeerHealth.Reachable, "trace", advert));
        }

        var choice = _router.DecideShifted(new RoutingRequest
        {
            Job = spec.RefIn(TypedId.Parse<NationCode>(world.Nations[job.Home])),
            Spec = spec,
            Now = now,
            Inputs = [new InputDataset(data, residency, DataUseConditions.Unrestricted, job.DataBytes)],
            Candidates = candidates.MoveToImmutable(),
        });
        if (choice.Choice.Chosen is not { } chosen)
        {
            // Nowhere fits the deadline: run where the data is, at once.
            return (job.DataHome, job.Arrival);
        }

        return (Array.IndexOf(world.Nations, chosen.Value), job.Arrival + (int)Math.Round((choice.StartAt - now).TotalHours));
    }
}
