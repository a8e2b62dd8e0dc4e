using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Grains.Learning;
using Federation.Learning.Run;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Unit.Tests.Learning.Grains;

/// <summary>A run grain's outbox: sends each entry once while it is on its way, and resends a failed one only after its backoff.</summary>
public sealed class RoundOutboxTests
{
    private static readonly JobRef s_job = TypedId.Parse<JobRef>("FR/fed-outbox");

    private sealed class CountingCourier : IRoundCourier
    {
        public List<Guid> Sent { get; } = [];

        public void Send(JobRef job, RoundOutboxEntry entry, IOutboxClient replyTo) => Sent.Add(entry.Id);
    }

    [Fact]
    public void SendDue_FailedEntry_IsResentOnlyAfterItsBackoff_AndADeliveredOneNever()
    {
        var time = new FakeTimeProvider();
        var courier = new CountingCourier();
        var outbox = new RoundOutbox(courier, null!, time);
        var entry = RoundOutbox.Entry(new RunEnvelope(TypedId.Parse<NationCode>("DE"), TypedId.Parse<NationCode>("FR"), new ParticipantReady(s_job, TypedId.Parse<NationCode>("DE"))));
        Assert.Equal("ready", entry.Kind);
        Assert.Contains("\"from\":\"DE\"", entry.Document, StringComparison.Ordinal);

        outbox.SendDue(s_job, [entry]);
        outbox.SendDue(s_job, [entry]);
        Assert.Single(courier.Sent);

        Assert.False(outbox.Ended(entry.Id, delivered: false));
        outbox.SendDue(s_job, [entry]);
        Assert.Single(courier.Sent);

        time.Advance(TimeSpan.FromSeconds(1));
        outbox.SendDue(s_job, [entry]);
        Assert.Equal(2, courier.Sent.Count);

        Assert.False(outbox.Ended(entry.Id, delivered: false));
        time.Advance(TimeSpan.FromSeconds(1.5));
        outbox.SendDue(s_job, [entry]);
        Assert.Equal(2, courier.Sent.Count);
        time.Advance(TimeSpan.FromSeconds(0.5));
        outbox.SendDue(s_job, [entry]);
        Assert.Equal(3, courier.Sent.Count);

        Assert.True(outbox.Ended(entry.Id, delivered: true));
    }
}
