using System.Text.Json.Nodes;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Grains.Nations;
using Federation.Protocol.Messages;
using Federation.Silo.Transparency;
using Federation.Transparency;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Federation.Silo.Tests.Transparency;

/// <summary>
/// Which cross-border job messages the request recorders append, read back from an in-memory log:
/// renewals only when they change something, reports once per state (not per progress report) and
/// whenever refused or fenced, offers and cancellations once per request; and the job file transfer
/// entry's fields.
/// </summary>
public sealed class RequestRecorderTests
{
    private static readonly NationCode s_fr = TypedId.Parse<NationCode>("FR");
    private static readonly NationCode s_de = TypedId.Parse<NationCode>("DE");
    private static readonly JobRef s_job = TypedId.Parse<JobRef>("DE/job-1");

    private readonly InMemoryTransparencyLog _log = new();

    private TransparencyRecorder Recorder() =>
        new(_log, TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new TransparencyOptions()), NullLogger<TransparencyRecorder>.Instance);

    private async Task<List<JsonObject>> EntriesAsync() =>
        [.. (await _log.ReadAsync(0, 1000, TestContext.Current.CancellationToken)).Select(e => JsonNode.Parse(e.Bytes)!.AsObject())];

    private static string? Detail(JsonObject entry, string key) => entry["detail"]?[key]?.GetValue<string>();

    private static ReportMessage Report(JobState state, long sequence, double? progress = null) =>
        new(new ExecutionReport { Job = s_job, Epoch = 1, Sequence = sequence, State = state, Progress = progress });

    private static Delivery Renewed(LeaseVerdict verdict) => new() { Delivered = true, LeaseAnswer = new LeaseAnswer(verdict, 30, "") };

    private static Delivery Answered(bool accepted, bool fenced) => new() { Delivered = true, ReportAnswer = new ReportAnswer(accepted, fenced, "") };

    [Fact]
    public async Task RenewalsSent_OnlyThoseThatChangeSomethingLogged_OnceEach()
    {
        var recorder = new RequestOutRecorder(Recorder());
        var renewal = new RenewalMessage(new LeaseRenewal(s_job, 1));

        for (var i = 0; i < 5; i++)
        {
            Assert.Null(await recorder.RecordAsync(OutboxMessage.Create(s_de, renewal, DateTimeOffset.UtcNow), Renewed(LeaseVerdict.Continue)));
        }

        var fenced = OutboxMessage.Create(s_de, renewal, DateTimeOffset.UtcNow);
        Assert.NotNull(await recorder.RecordAsync(fenced, Renewed(LeaseVerdict.Fenced)));
        Assert.Null(await recorder.RecordAsync(fenced, Renewed(LeaseVerdict.Fenced)));
        Assert.NotNull(await recorder.RecordAsync(OutboxMessage.Create(s_de, renewal, DateTimeOffset.UtcNow), Delivery.Failed("DE answered HTTP 404")));

        var entries = await EntriesAsync();
        Assert.Equal(["fenced", "not-delivered"], entries.Select(e => Detail(e, "outcome")));
        Assert.All(entries, e => Assert.Equal(("federation-request-out", "renewal", "DE", "DE/job-1", "1"),
            (e["kind"]!.GetValue<string>(), Detail(e, "message"), e["peer"]!.GetValue<string>(), e["job"]!.GetValue<string>(), Detail(e, "epoch"))));
        Assert.Equal(fenced.Id.ToString("D"), Detail(entries[0], "request"));
    }

    [Fact]
    public async Task ReportsSent_OncePerState_ProgressNotLogged_FencedAlways()
    {
        var recorder = new RequestOutRecorder(Recorder());
        async Task<LoggedEntry?> SendAsync(ReportMessage report, Delivery delivery) =>
            await recorder.RecordAsync(OutboxMessage.Create(s_de, report, DateTimeOffset.UtcNow), delivery);

        Assert.NotNull(await SendAsync(Report(JobState.Running, 1, 0), Answered(true, false)));
        for (var i = 2; i < 20; i++)
        {
            Assert.Null(await SendAsync(Report(JobState.Running, i, i / 20.0), Answered(true, false)));
        }

        Assert.NotNull(await SendAsync(Report(JobState.Running, 20, 0.99), Answered(false, true)));
        Assert.NotNull(await SendAsync(Report(JobState.Succeeded, 21, 1), Answered(true, false)));
        Assert.NotNull(await SendAsync(Report(JobState.Requeued, 22), Delivery.Failed("timeout")));

        var entries = await EntriesAsync();
        Assert.Equal(
            [("report", "running", "accepted"), ("report", "running", "fenced"), ("report", "succeeded", "accepted"), ("give-back", "requeued", "not-delivered")],
            entries.Select(e => (Detail(e, "message"), Detail(e, "state"), Detail(e, "outcome"))));
    }

    [Fact]
    public async Task OfferAndCancellationSent_OncePerRequest_OwnerOnlyAsDigest()
    {
        var transparency = Recorder();
        var recorder = new RequestOutRecorder(transparency);
        var cancel = OutboxMessage.Create(s_fr, new CancellationMessage(new JobCancellation(s_job, 2, "wrong inputs", Fenced: false)), DateTimeOffset.UtcNow);
        var fence = OutboxMessage.Create(s_fr, new CancellationMessage(new JobCancellation(s_job, 1, "stale", Fenced: true)), DateTimeOffset.UtcNow);

        Assert.NotNull(await recorder.RecordAsync(cancel, Delivery.Failed("timeout")));
        Assert.Null(await recorder.RecordAsync(cancel, new Delivery { Delivered = true }));
        Assert.NotNull(await recorder.RecordAsync(fence, new Delivery { Delivered = true }));

        var entries = await EntriesAsync();
        Assert.Equal([("cancellation", "2", "not-delivered"), ("fence", "1", "delivered")], entries.Select(e => (Detail(e, "message"), Detail(e, "epoch"), Detail(e, "outcome"))));
        Assert.All(entries, e => Assert.Null(e["subject"]?.GetValue<string>()));
        Assert.DoesNotContain("wrong inputs", string.Join(",", entries.Select(e => e.ToJsonString())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessagesReceived_RenewalsOnlyWhenRefusedOrStopping_ReportsOncePerState_CancellationsAlways()
    {
        var recorder = new RequestInRecorder(Recorder());
        var renewal = new RenewalMessage(new LeaseRenewal(s_job, 1));
        var request = Guid.NewGuid();

        Assert.Null(await recorder.Record(renewal, "renewal", null, s_fr, Guid.NewGuid(), Results.Ok(new LeaseAnswer(LeaseVerdict.Continue, 30, ""))));
        Assert.NotNull(await recorder.Record(renewal, "renewal", null, s_fr, Guid.NewGuid(), Results.Ok(new LeaseAnswer(LeaseVerdict.Cancel, 0, "cancelled"))));
        Assert.NotNull(await recorder.Record(renewal, "renewal", null, s_fr, request, Results.NotFound()));
        Assert.NotNull(await recorder.Record(Report(JobState.Running, 1, 0), "report", null, s_fr, Guid.NewGuid(), Results.Ok(new ReportAnswer(true, false, ""))));
        Assert.Null(await recorder.Record(Report(JobState.Running, 2, 0.5), "report", null, s_fr, Guid.NewGuid(), Results.Ok(new ReportAnswer(true, false, ""))));
        Assert.NotNull(await recorder.Record(Report(JobState.Running, 0, 0.5), "report", null, s_fr, Guid.NewGuid(), Results.BadRequest()));
        Assert.NotNull(await recorder.Record(new CancellationMessage(new JobCancellation(s_job, 1, "", false)), "cancellation", null, s_fr, null, Results.NoContent()));
        Assert.NotNull(await recorder.Record(null, "offer", "DE/\u0001bad", s_fr, null, Results.BadRequest()));

        var entries = await EntriesAsync();
        Assert.Equal(
            [("renewal", "200", "cancel"), ("renewal", "404", "refused"), ("report", "200", "accepted"), ("report", "400", "refused"), ("cancellation", "204", "delivered"), ("offer", "400", "refused")],
            entries.Select(e => (Detail(e, "message"), Detail(e, "status"), Detail(e, "outcome"))));
        Assert.Equal(request.ToString("D"), Detail(entries[1], "request"));
        Assert.All(entries, e => Assert.Equal(("federation-request-in", "FR"), (e["kind"]!.GetValue<string>(), e["peer"]!.GetValue<string>())));
        Assert.Null(entries[^1]["job"]?.GetValue<string>());
    }

    [Fact]
    public async Task RefusalsOfOnePeer_RecordedUpToTheBudget_TheNextRecordedOneCountsTheRest()
    {
        var time = new ManualTime();
        var recorder = new RequestInRecorder(Recorder(), refusalsPerPeerPerMinute: 3, time);

        // A peer floods refused offers under fresh request ids: three are recorded, seven are only counted;
        // another peer's refusals have their own budget; accepted messages are not limited.
        for (var i = 0; i < 10; i++)
        {
            await recorder.Record(null, "offer", $"DE/flood-{i}", s_fr, Guid.NewGuid(), Results.BadRequest());
        }

        Assert.NotNull(await recorder.Record(null, "offer", "FR/other", s_de, Guid.NewGuid(), Results.BadRequest()));
        Assert.NotNull(await recorder.Record(new CancellationMessage(new JobCancellation(s_job, 1, "", false)), "cancellation", null, s_fr, null, Results.NoContent()));
        Assert.Equal(5, (await EntriesAsync()).Count);

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Null(await recorder.Record(null, "offer", "DE/flood-late", s_fr, Guid.NewGuid(), Results.BadRequest()));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(await recorder.Record(null, "offer", "DE/after", s_fr, Guid.NewGuid(), Results.BadRequest()));
        Assert.NotNull(await recorder.Record(null, "offer", "DE/after-2", s_fr, Guid.NewGuid(), Results.BadRequest()));

        var refusedByFr = (await EntriesAsync()).Where(e => e["peer"]!.GetValue<string>() == "FR" && Detail(e, "outcome") == "refused").ToList();
        Assert.Equal(["DE/flood-0", "DE/flood-1", "DE/flood-2", "DE/after", "DE/after-2"], refusedByFr.Select(e => e["job"]!.GetValue<string>()));
        Assert.Equal([null, null, null, "8", null], refusedByFr.Select(e => Detail(e, "suppressed")));
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    [Fact]
    public async Task JobFileTransfer_NamesFileNationsBytesDigest_NoDataset()
    {
        var transfers = new TransferRecorder(Recorder(), new LocalNation(s_fr));
        var request = Guid.NewGuid();
        var file = new TransferRecorder.JobFile(s_job, 2, "output", "metrics/final.json");

        Assert.NotNull(await transfers.RecordAsync(new TransferRecorder.FileTransfer(file, "DE", Outbound: true, 11, new string('a', 64), "complete", request)));
        Assert.NotNull(await transfers.RecordAsync(new TransferRecorder.FileTransfer(file with { Artifact = "log", Name = "stdout" }, "DE", Outbound: false, 3, null, "aborted", request)));

        var entries = await EntriesAsync();
        Assert.Equal(("artifact-transfer", "DE/job-1", "DE"), (entries[0]["kind"]!.GetValue<string>(), entries[0]["job"]!.GetValue<string>(), entries[0]["peer"]!.GetValue<string>()));
        Assert.Null(entries[0]["dataset"]?.GetValue<string>());
        Assert.Null(Detail(entries[0], "name"));
        Assert.True(Federation.Transparency.SubjectDigest.IsDigest(Detail(entries[0], "nameDigest")!), "an output's user-chosen path goes in only as a digest");
        Assert.DoesNotContain("final.json", entries[0].ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("stdout", Detail(entries[1], "name"));
        Assert.Equal(("out", "output", "2", "FR", "DE", "11", new string('a', 64), "complete", request.ToString("D")),
            (Detail(entries[0], "direction"), Detail(entries[0], "artifact"), Detail(entries[0], "epoch"), Detail(entries[0], "from"),
                Detail(entries[0], "to"), Detail(entries[0], "bytes"), Detail(entries[0], "sha256"), Detail(entries[0], "status"), Detail(entries[0], "request")));
        Assert.Equal(("in", "log", "DE", "FR", null), (Detail(entries[1], "direction"), Detail(entries[1], "artifact"), Detail(entries[1], "from"), Detail(entries[1], "to"), Detail(entries[1], "sha256")));
    }
}
