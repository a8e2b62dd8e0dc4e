using System.Diagnostics.Metrics;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Grains.Diagnostics;
using Federation.Grains.Jobs;
using Federation.Lifecycle.Jobs;
using Federation.Protocol.Messages;

namespace Federation.Unit.Tests.Diagnostics;

/// <summary>
/// The outbox gauges (depth and oldest age of unacknowledged messages) follow what the grains' senders
/// hold, and an expired lease's fence is counted by the nation that lost it, while other fences are not.
/// </summary>
public sealed class FederationMetricsTests
{
    private static readonly NationCode s_fr = TypedId.Parse<NationCode>("FR");
    private static readonly JobRef s_job = TypedId.Parse<JobRef>("DE/metered");

    [Fact]
    public void OutboxGauges_CountUnacknowledgedMessages_AndTheOldestAge()
    {
        var sender = new OutboxSender(new IgnoringCourier(), null!);
        var (depthBefore, _) = Observe();

        var old = OutboxMessage.Create(s_fr, new RenewalMessage(new LeaseRenewal(s_job, 1)), DateTimeOffset.UtcNow.AddHours(-1));
        var recent = OutboxMessage.Create(s_fr, new RenewalMessage(new LeaseRenewal(s_job, 2)), DateTimeOffset.UtcNow);
        sender.Send(old);
        sender.Send(recent);
        sender.Send(old); // already on its way: not counted twice
        var (depth, oldest) = Observe();
        Assert.Equal(depthBefore + 2, depth);
        Assert.InRange(oldest, 3590, 3700);

        Assert.Equal(1, sender.Ended(recent.Id, delivered: false, DateTimeOffset.UtcNow)); // failed: still pending
        Assert.Equal(depthBefore + 2, Observe().Depth);
        sender.Ended(old.Id, delivered: true, DateTimeOffset.UtcNow);
        sender.Forget(recent.Id);
        Assert.Equal(depthBefore, Observe().Depth);
        GC.KeepAlive(sender);
    }

    [Fact]
    public void LeaseExpiries_CountedByTheNationThatLostThem_OtherFencesNot()
    {
        var counted = new List<(long Value, string? Nation)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FederationMetrics.MeterName && instrument.Name == "federation.lease.expiries")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "nation" && tag.Value as string == "SE")
                {
                    lock (counted)
                    {
                        counted.Add((value, "SE"));
                    }
                }
            }
        });
        listener.Start();

        var se = TypedId.Parse<NationCode>("SE");
        FederationMetrics.LeasesExpired(
        [
            OutboxMessage.Create(se, new CancellationMessage(new JobCancellation(s_job, 3, $"{JobLifecycle.LeaseExpiredReason}; the job was re-routed", Fenced: true)), DateTimeOffset.UtcNow),
            OutboxMessage.Create(se, new CancellationMessage(new JobCancellation(s_job, 2, "superseded by epoch 3", Fenced: true)), DateTimeOffset.UtcNow),
            OutboxMessage.Create(se, new CancellationMessage(new JobCancellation(s_job, 3, "cancelled by the owner", Fenced: false)), DateTimeOffset.UtcNow),
        ]);

        Assert.Equal([(1L, "SE")], counted);
    }

    private static (long Depth, double Oldest) Observe()
    {
        long depth = 0;
        double oldest = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FederationMetrics.MeterName && instrument.Name.StartsWith("federation.outbox.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => depth = instrument.Name == "federation.outbox.depth" ? value : depth);
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => oldest = instrument.Name == "federation.outbox.oldest.age" ? value : oldest);
        listener.Start();
        listener.RecordObservableInstruments();
        return (depth, oldest);
    }

    private sealed class IgnoringCourier : IFederationCourier
    {
        public void Send(OutboxMessage message, IOutboxClient replyTo)
        {
        }
    }
}
