using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution.Workloads;
using Federation.Lifecycle.Executions;
using Federation.Protocol.Messages;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Lifecycle.Tests.Executions;

/// <summary>
/// A fake adapter for <see cref="ExecutionLifecycle"/> on fake time: it answers the in-turn effects
/// (allocation from free nodes, the bill) at once, as the grain does, and records every message and
/// effect; the effects outside the turn are answered by the test.
/// </summary>
internal sealed class ExecutionDriver
{
    public static readonly NationCode Origin = TypedId.Parse<NationCode>("FR");
    public static readonly NationCode Local = TypedId.Parse<NationCode>("SE");
    public static readonly JobRef Job = TypedId.Parse<JobRef>("FR/job-1");
    public static readonly AcceleratorSlug H100 = TypedId.Parse<AcceleratorSlug>("h100-sxm");
    public static readonly JobResult Result = new() { ExitCode = 0, Message = "billed", RunSeconds = 60, EnergyKwh = 0.5, EnergyMethod = "tdp-estimate" };

    private int _allocations;

    public ExecutionDriver(int epoch = 1, ExecutionSettings? settings = null)
    {
        State = ExecutionState.New(Job, epoch);
        Settings = settings ?? new ExecutionSettings();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    public ExecutionSettings Settings { get; }

    public ExecutionState State { get; private set; }

    public List<FederationMessage> Sent { get; } = [];

    public List<ExecutionEffect> Effects { get; } = [];

    public List<Rejection> Rejections { get; } = [];

    /// <summary>Nodes whose allocation the decider took.</summary>
    public List<string> Allocated { get; } = [];

    public bool AllocationsSucceed { get; set; } = true;

    /// <summary>False: the bill cannot be computed (a grain it reads does not answer), as the grain's effects answer then.</summary>
    public bool BillsSucceed { get; set; } = true;

    public IEnumerable<ExecutionReport> Reports => Sent.OfType<ReportMessage>().Select(r => r.Report);

    public ExecutionRecord Record => State.Record!;

    public static JobSpec Spec(TimeSpan? walltime = null) => new()
    {
        Id = "job-1",
        Owner = new JobOwner("alice", null),
        Purpose = new JobPurpose { Use = ResearchCategory.General },
        Accelerators = new AcceleratorRequest { Count = 2 },
        Work = new WorkEstimate { AcceleratorHours = 1 },
        Walltime = walltime ?? TimeSpan.FromHours(1),
        Workload = new WorkloadCall { Name = "train", Version = "1" },
    };

    public static LaunchFacts Facts(bool simulated = false, bool slurm = false, int free = 4) =>
        new(Local, true, simulated, [new PoolLine(slurm ? "cluster" : "agents", slurm, H100, free, 4, 80)]);

    public Decision<ExecutionState, ExecutionEffect> Apply(ExecutionInput input)
    {
        var decision = ExecutionLifecycle.Decide(State, input, Time.GetUtcNow(), Settings);
        if (decision.Rejected is { } rejected)
        {
            Assert.Same(State, decision.State);
            Assert.Empty(decision.Send);
            Assert.Empty(decision.Events);
            Rejections.Add(rejected);
            return decision;
        }

        State = decision.State;
        if (input is AllocationDone done)
        {
            Allocated.AddRange(done.Allocations.Keys);
        }

        Sent.AddRange(decision.Send.Select(o => o.Message));
        Effects.AddRange(decision.Events);
        foreach (var effect in decision.Events)
        {
            switch (effect)
            {
                case AllocateNodes allocate:
                    Apply(AllocationsSucceed
                        ? new AllocationDone(ImmutableSortedDictionary<string, int>.Empty.Add($"node-{++_allocations}", allocate.Count))
                        : new AllocationFailed("no node had room"));
                    break;
                case BillRun:
                    Apply(BillsSucceed ? new Billed(Result) : new BillFailed("the nation grain did not answer"));
                    break;
            }
        }

        return decision;
    }

    public void Advance(TimeSpan by) => Time.Advance(by);

    /// <summary>A silo restart: the state is read back from what was persisted (the record, the report sequence).</summary>
    public void Restart() => State = ExecutionState.Restore(Job, State.Epoch, State.Record, State.ReportSequence, State.FencedBeforeOffer);

    public void Offer(double leaseSeconds = 30, TimeSpan? walltime = null) =>
        Apply(new OfferReceived(Origin, new JobOffer { Job = Job, Epoch = State.Epoch, Spec = Spec(walltime), LeaseSeconds = leaseSeconds }, Local, false, AdmissionFacts()));

    /// <summary>Facts under which an offer of <see cref="Spec"/> from <see cref="Origin"/> is admitted: the workload allowed, 4 H100 free, no foreign job running.</summary>
    public static AdmissionFacts AdmissionFacts(int free = 4) => new()
    {
        Local = Local,
        Today = new DateOnly(2026, 12, 4),
        Workload = new WorkloadDefinition { Name = "train", Version = "1" },
        AllowList = ["train@1"],
        Pools = [new PoolLine("agents", false, H100, free, 4, 80)],
        ForeignShare = new ForeignShare(1.0, 4, 4 - free),
    };

    /// <summary>Admitted, placed on the agents' pool, allocated, and staging.</summary>
    public void Staging(bool simulated = false, TimeSpan? walltime = null)
    {
        Offer(walltime: walltime);
        Apply(new Tick(Facts(simulated)));
        Assert.Equal(ExecutionStep.Staging, State.Step);
    }

    /// <summary>Admitted, staged, started by the process executor, and running.</summary>
    public void Running(TimeSpan? walltime = null)
    {
        Staging(walltime: walltime);
        Apply(new StagingDone(1000, "staged"));
        Apply(new RunStarted("4242", "/tmp/jobs/FR/job-1/e1", new ObservedRun(ObservedPhase.Running, "started")));
        Assert.Equal(JobState.Running, Record.State);
    }

    public Decision<ExecutionState, ExecutionEffect> Cancel(bool fenced, NationCode? from = null, int? epoch = null) =>
        Apply(new CancellationReceived(from ?? Origin, new JobCancellation(Job, epoch ?? State.Epoch, "asked", fenced)));

    /// <summary>Ticks every <paramref name="step"/> for <paramref name="span"/>.</summary>
    public void TickFor(TimeSpan span, TimeSpan step)
    {
        for (var passed = TimeSpan.Zero; passed < span; passed += step)
        {
            Advance(step);
            Apply(new Tick());
        }
    }
}
