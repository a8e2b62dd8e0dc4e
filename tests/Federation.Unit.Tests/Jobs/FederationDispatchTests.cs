using System.Collections.Immutable;
using System.Net.Http.Json;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Protocol.Messages;
using Federation.Silo.Jobs.Dispatch;

namespace Federation.Unit.Tests.Jobs;

public sealed class FederationDispatchTests
{
    private static readonly NationCode s_fr = TypedId.Parse<NationCode>("FR");
    private static readonly JobRef s_job = TypedId.Parse<JobRef>("DE/train-1");

    private static JobOffer Offer() => new()
    {
        Job = s_job,
        Epoch = 3,
        LeaseSeconds = 60,
        Spec = new JobSpec
        {
            Id = "train-1",
            Owner = new JobOwner("alice@example.org", null),
            Inputs = [],
            Purpose = new JobPurpose { Use = ResearchCategory.General },
            Accelerators = new AcceleratorRequest { Count = 1 },
            Work = new WorkEstimate { AcceleratorHours = 1, ReferenceAccelerator = TypedId.Parse<AcceleratorSlug>("h100-sxm") },
            Walltime = TimeSpan.FromMinutes(30),
            Workload = new WorkloadCall { Name = "train", Version = "1.0", Arguments = ImmutableSortedDictionary<string, string>.Empty },
        },
    };

    private static ExecutionReport Report() => new() { Job = s_job, Epoch = 3, Sequence = 7, State = JobState.Running, Progress = 0.5 };

    public static TheoryData<FederationMessage> Samples() =>
    [
        new OfferMessage(Offer()),
        new ReportMessage(Report()),
        new RenewalMessage(new LeaseRenewal(s_job, 3)),
        new CancellationMessage(new JobCancellation(s_job, 3, "cancelled by alice", Fenced: false)),
    ];

    [Fact]
    public void Handlers_EveryMessageTypeOfTheProtocol_HasExactlyOne()
    {
        var messageTypes = typeof(FederationMessage).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(FederationMessage)) && !t.IsAbstract)
            .Select(t => t.Name).Order(StringComparer.Ordinal);
        var handled = new FederationDispatch(new RecordingGrains().Factory).Handlers.Select(h => h.MessageType.Name).Order(StringComparer.Ordinal);

        Assert.Equal(messageTypes, handled);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void For_AMessage_ItsHandlerTravelsOnTheMessagesRouteWithItsPayload(FederationMessage message)
    {
        var handler = new FederationDispatch(new RecordingGrains().Factory).For(message);

        Assert.Equal(message.GetType(), handler.MessageType);
        Assert.Equal(message.Route, handler.Route);
        Assert.StartsWith(FederationRoutes.Version + "/", handler.Route, StringComparison.Ordinal);
        object payload = message switch
        {
            OfferMessage m => m.Offer,
            ReportMessage m => m.Report,
            RenewalMessage m => m.Renewal,
            CancellationMessage m => m.Cancellation,
            _ => throw new InvalidOperationException(message.Kind),
        };
        Assert.Same(payload, handler.WireBody(message));
    }

    [Fact]
    public void For_AnUnregisteredMessageType_FailsNamingTheType()
    {
        var error = Assert.Throws<ArgumentException>(() => new FederationDispatch(new RecordingGrains().Factory).For(new StrayMessage()));

        Assert.Contains(nameof(StrayMessage), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliverAsync_AnOffer_GoesToTheExecutionGrainOfItsEpochAndCarriesTheAdmission()
    {
        var admission = new Admission(s_fr, 3, Admitted: true, "admitted", 60);
        var grains = new RecordingGrains().Answer(admission);
        var offer = Offer();

        var delivery = await new FederationDispatch(grains.Factory).DeliverAsync(s_fr, new OfferMessage(offer));

        var call = Assert.Single(grains.Calls);
        Assert.Equal((typeof(IExecutionGrain), IExecutionGrain.KeyOf(s_job, 3), nameof(IExecutionGrain.OfferAsync)), (call.Interface, call.Key, call.Method));
        Assert.Equal([s_fr, offer], call.Arguments);
        Assert.Equal(new Delivery { Delivered = true, Admission = admission }, delivery);
    }

    [Fact]
    public async Task DeliverAsync_AReport_GoesToTheJobGrainAndCarriesTheAnswer()
    {
        var answer = new ReportAnswer(Accepted: false, Fenced: true, "epoch 3 is stale");
        var grains = new RecordingGrains().Answer(answer);
        var report = Report();

        var delivery = await new FederationDispatch(grains.Factory).DeliverAsync(s_fr, new ReportMessage(report));

        var call = Assert.Single(grains.Calls);
        Assert.Equal((typeof(IJobGrain), IJobGrain.KeyOf(s_job), nameof(IJobGrain.ReportAsync)), (call.Interface, call.Key, call.Method));
        Assert.Equal([s_fr, report], call.Arguments);
        Assert.Equal(new Delivery { Delivered = true, ReportAnswer = answer }, delivery);
    }

    [Fact]
    public async Task DeliverAsync_ARenewal_GoesToTheJobGrainWithItsEpochAndCarriesTheVerdict()
    {
        var answer = new LeaseAnswer(LeaseVerdict.Fenced, 0, "epoch 3 was replaced by epoch 4");
        var grains = new RecordingGrains().Answer(answer);

        var delivery = await new FederationDispatch(grains.Factory).DeliverAsync(s_fr, new RenewalMessage(new LeaseRenewal(s_job, 3)));

        var call = Assert.Single(grains.Calls);
        Assert.Equal((typeof(IJobGrain), IJobGrain.KeyOf(s_job), nameof(IJobGrain.RenewLeaseAsync)), (call.Interface, call.Key, call.Method));
        Assert.Equal([s_fr, 3], call.Arguments);
        Assert.Equal(new Delivery { Delivered = true, LeaseAnswer = answer }, delivery);
    }

    [Fact]
    public async Task DeliverAsync_ACancellationOfAnUnknownExecution_IsDeliveredButTheTypedAnswerSaysRefused()
    {
        var grains = new RecordingGrains().Answer(false);
        var cancellation = new CancellationMessage(new JobCancellation(s_job, 3, "fenced", Fenced: true));
        var dispatch = new FederationDispatch(grains.Factory);

        var delivery = await dispatch.DeliverAsync(s_fr, cancellation);
        var taken = await dispatch.Cancellations.DeliverAsync(s_fr, cancellation);

        Assert.Equal(2, grains.Calls.Count);
        Assert.All(grains.Calls, c => Assert.Equal((typeof(IExecutionGrain), IExecutionGrain.KeyOf(s_job, 3), nameof(IExecutionGrain.CancelAsync)), (c.Interface, c.Key, c.Method)));
        Assert.Equal(new Delivery { Delivered = true }, delivery);
        Assert.False(taken);
    }

    [Fact]
    public async Task ReadAnswerAsync_TheReceiversJson_BecomesTheDeliverysTypedAnswer()
    {
        var dispatch = new FederationDispatch(new RecordingGrains().Factory);
        var answer = new LeaseAnswer(LeaseVerdict.Continue, 60, "");
        using var body = JsonContent.Create(answer, options: FederationJson.Options);
        using var empty = new ByteArrayContent([]);

        var renewed = await dispatch.Renewals.ReadAnswerAsync(body, TestContext.Current.CancellationToken);
        var cancelled = await dispatch.Cancellations.ReadAnswerAsync(empty, TestContext.Current.CancellationToken);

        Assert.Equal(new Delivery { Delivered = true, LeaseAnswer = answer }, renewed);
        Assert.Equal(typeof(LeaseAnswer), dispatch.Renewals.AnswerType);
        Assert.Equal(new Delivery { Delivered = true }, cancelled);
        Assert.Null(dispatch.Cancellations.AnswerType);
    }

    private sealed record StrayMessage : FederationMessage
    {
        public override JobRef Job => s_job;

        public override int Epoch => 1;

        public override MessageReceiver Receiver => MessageReceiver.Origin;

        public override string Route => "federation/v1/jobs/stray";

        public override string Kind => "stray";
    }
}
