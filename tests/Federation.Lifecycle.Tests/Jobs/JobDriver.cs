using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Routing;
using Federation.Lifecycle.Jobs;
using Federation.Protocol.Messages;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Lifecycle.Tests.Jobs;

/// <summary>Drives <see cref="JobLifecycle"/> as its grain would, on fake time, and keeps every step.</summary>
public sealed class JobDriver(JobLifecycleSettings? settings = null)
{
    public static readonly JobRef Job = TypedId.Parse<JobRef>("DE/train-1");
    public static readonly NationCode Fr = TypedId.Parse<NationCode>("FR");
    public static readonly NationCode Se = TypedId.Parse<NationCode>("SE");
    public static readonly NationCode De = TypedId.Parse<NationCode>("DE");

    public static readonly JobSpec Spec = new()
    {
        Id = "train-1",
        Owner = new JobOwner("alice@example.org", null),
        Purpose = new JobPurpose { Use = ResearchCategory.General },
        Accelerators = new AcceleratorRequest { Count = 1 },
        Work = new WorkEstimate { AcceleratorHours = 1, ReferenceAccelerator = TypedId.Parse<AcceleratorSlug>("h100-sxm") },
        Walltime = TimeSpan.FromMinutes(90),
        Workload = new WorkloadCall { Name = "train", Version = "1.0" },
    };

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    public JobLifecycleSettings Settings { get; } = settings ?? new JobLifecycleSettings();

    public JobLifecycleState State { get; private set; } = JobLifecycleState.Empty(Job);

    public List<JobStep> Steps { get; } = [];

    public JobRecord Record => State.Record!;

    /// <summary>A decision ranking <paramref name="ranked"/> in order.</summary>
    public static RoutingDecision Decision(params NationCode[] ranked) => new()
    {
        Job = Job,
        DecidedAt = DateTimeOffset.UnixEpoch,
        Chosen = ranked.Length > 0 ? ranked[0] : null,
        Summary = ranked.Length > 0 ? $"chose {ranked[0]}" : "no nation can run it",
        Candidates = [.. ranked.Select((n, i) => new CandidateVerdict { Nation = n, Rank = i + 1 })],
        Weights = ScoreWeights.Default,
    };

    public JobStep Apply(JobInput input)
    {
        var step = JobLifecycle.Decide(State, input, Time.GetUtcNow(), Settings);
        Steps.Add(step);
        State = step.State;
        return step;
    }

    public JobStep Submit(RoutingDecision? decision) => Apply(new SubmitJob(Spec, decision));

    /// <summary>The outbox's offer of the current epoch (not a probe).</summary>
    public OutboxMessage Offer() => State.Outbox.Last(m => m.Message is OfferMessage o && o.Epoch == Record.Epoch && m.Id != State.ProbeId);

    public JobStep Answer(OutboxMessage offer, bool admitted, string reason = "ok") =>
        Apply(new MessageDelivered(offer.Id, new Delivery { Delivered = true, Admission = new Admission(offer.To, offer.Message.Epoch, admitted, reason, 30) }, 0));

    public JobStep Admit() => Answer(Offer(), admitted: true);

    public JobStep Report(NationCode from, int epoch, long sequence, JobState state, string message = "") =>
        Apply(new ReportReceived(from, new ExecutionReport { Job = Job, Epoch = epoch, Sequence = sequence, State = state, Message = message }));

    public JobStep Renew(NationCode from, int epoch) => Apply(new RenewalReceived(from, epoch));

    public JobStep Tick(TimeSpan after)
    {
        Time.Advance(after);
        return Apply(new JobTick());
    }

    public ImmutableArray<CancellationMessage> Cancellations() =>
        [.. State.Outbox.Select(m => m.Message).OfType<CancellationMessage>()];
}
