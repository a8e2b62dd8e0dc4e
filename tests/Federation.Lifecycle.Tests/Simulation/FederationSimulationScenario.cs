using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Routing;
using Federation.Protocol.Messages;
using static Federation.Lifecycle.Tests.Simulation.FederationSimulation;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// The federation under simulation: jobs submitted at random nations (about a third home-only: their
/// decision names only their origin), some submitted twice, some cancelled by their users, and the
/// invariants of <see cref="FederationSimulationInvariants"/>.
/// </summary>
public sealed class FederationSimulationScenario(FederationSimulationSettings settings) : ISimulationScenario<Nation, FederationMessage, Command>
{
    /// <summary>The options every federation run uses: the chaos is long and rough enough for leases to expire.</summary>
    public static readonly SimulationOptions Options = new()
    {
        ChaosDuration = TimeSpan.FromMinutes(2),
        SettleBound = TimeSpan.FromMinutes(10),
        MaxDowntime = TimeSpan.FromSeconds(60),
        MaxCutDuration = TimeSpan.FromSeconds(60),
        MaxClockSkew = TimeSpan.FromSeconds(2),
    };

    /// <inheritdoc />
    public ISimulationNode<Nation, FederationMessage, Command> Node { get; } = new FederationSimulationNode(settings);

    /// <inheritdoc />
    public IEnumerable<(TimeSpan At, NationCode Nation, Command Command)> Workload(SimulationRandom random, IReadOnlyList<NationCode> nations, SimulationOptions options)
    {
        var jobs = random.Next(2, 7);
        for (var k = 1; k <= jobs; k++)
        {
            var origin = random.Pick(nations);
            var homeOnly = random.Chance(0.3);
            var id = homeOnly ? $"home-{k}" : $"job-{k}";
            var job = TypedId.Parse<JobRef>($"{origin}/{id}");
            var spec = Spec(id, minutes: 0.15 + (random.NextDouble() * 1.35));
            var submit = new UserSubmits(spec, job, Decide(job, origin, homeOnly, nations, random));
            var at = random.Between(TimeSpan.Zero, options.ChaosDuration * 0.7);
            yield return (at, origin, submit);
            if (random.Chance(0.1))
            {
                yield return (at + random.Between(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)), origin, submit);
            }

            if (random.Chance(0.3))
            {
                yield return (at + random.Between(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(90)), origin, new UserCancels(job));
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ISimulationInvariant<Nation, FederationMessage, Command>> Invariants() =>
        FederationSimulationInvariants.Create(settings);

    /// <inheritdoc />
    public string? Unsettled(ISimulationView<Nation> world)
    {
        for (var n = 0; n < world.Nations.Count; n++)
        {
            foreach (var (key, job) in world.StateOf(n).Jobs)
            {
                if (job.Live.Record is { } record && !record.State.IsFinished())
                {
                    return $"job {key} is {record.State} at epoch {record.Epoch} ({record.StateReason})";
                }
            }
        }

        return null;
    }

    /// <summary>The routing decision made at submission: the home only, or every nation in a random order.</summary>
    private static RoutingDecision Decide(JobRef job, NationCode origin, bool homeOnly, IReadOnlyList<NationCode> nations, SimulationRandom random)
    {
        var ranked = homeOnly ? [origin] : nations.OrderBy(_ => random.NextUInt64()).ToList();
        return new RoutingDecision
        {
            Job = job,
            DecidedAt = SimulationClock.Start,
            Chosen = ranked[0],
            Summary = homeOnly ? $"home-only: its dataset may not leave {origin}" : $"chose {ranked[0]}",
            Candidates = [.. nations.Select(n => new CandidateVerdict { Nation = n, Rank = ranked.IndexOf(n) is var i and >= 0 ? i + 1 : null })],
            Weights = ScoreWeights.Default,
        };
    }

    private static JobSpec Spec(string id, double minutes) => new()
    {
        Id = id,
        Owner = new JobOwner("alice@example.org", null),
        Purpose = new JobPurpose { Use = ResearchCategory.General },
        Accelerators = new AcceleratorRequest { Count = 1 },
        Work = new WorkEstimate { AcceleratorHours = minutes },
        Walltime = TimeSpan.FromHours(2),
        Workload = new WorkloadCall { Name = "train", Version = "1.0" },
    };
}
