using System.Text.Json;
using Federation.Silo.Jobs.Dispatch;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Unit.Tests.Jobs;

/// <summary>The per-peer coalescer of the batched transport, on fake time: full, over-size and due batches.</summary>
public sealed class MessageCoalescerTests
{
    private static readonly TimeSpan s_flush = TimeSpan.FromMilliseconds(2);

    private sealed class Recorder
    {
        public List<IReadOnlyList<int>> Batches { get; } = [];

        public void Take(IReadOnlyList<int> batch) => Batches.Add([.. batch]);
    }

    private static (MessageCoalescer<int> Coalescer, Recorder Batches, FakeTimeProvider Time) Create(int maxMessages = 4, long maxBytes = 1000, TimeSpan? flush = null)
    {
        var time = new FakeTimeProvider();
        var recorder = new Recorder();
        return (new MessageCoalescer<int>(new BatchBounds(maxMessages, maxBytes, flush ?? s_flush), time, recorder.Take), recorder, time);
    }

    [Fact]
    public void Add_FewerThanTheBound_WaitsForTheFlushDelayThenSendsOneBatchInOrder()
    {
        var (coalescer, batches, time) = Create();
        coalescer.Add(1, 10);
        coalescer.Add(2, 10);
        coalescer.Add(3, 10);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Empty(batches.Batches);
        Assert.Equal(3, coalescer.Pending);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([[1, 2, 3]], batches.Batches);
        Assert.Equal(0, coalescer.Pending);
    }

    [Fact]
    public void Add_UpToMaxMessages_SendsAtOnceWithoutWaiting()
    {
        var (coalescer, batches, time) = Create(maxMessages: 3);
        for (var i = 1; i <= 7; i++)
        {
            coalescer.Add(i, 10);
        }

        Assert.Equal([[1, 2, 3], [4, 5, 6]], batches.Batches);
        time.Advance(s_flush);
        Assert.Equal([[1, 2, 3], [4, 5, 6], [7]], batches.Batches);
    }

    [Fact]
    public void Add_PastMaxBytes_ClosesTheBatchBeforeTheMessageThatWouldOverflowIt()
    {
        var (coalescer, batches, time) = Create(maxMessages: 100, maxBytes: 100);
        coalescer.Add(1, 40);
        coalescer.Add(2, 40);
        coalescer.Add(3, 40);
        Assert.Equal([[1, 2]], batches.Batches);

        coalescer.Add(4, 60);
        Assert.Equal([[1, 2], [3, 4]], batches.Batches);

        coalescer.Add(5, 250);
        Assert.Equal([[1, 2], [3, 4], [5]], batches.Batches);
        time.Advance(s_flush);
        Assert.Equal(3, batches.Batches.Count);
    }

    [Fact]
    public void Due_ATimerArmedForABatchAlreadySent_DoesNotCutTheNextBatchShort()
    {
        var (coalescer, batches, time) = Create(maxMessages: 2);
        coalescer.Add(1, 10);
        time.Advance(TimeSpan.FromMilliseconds(1));
        coalescer.Add(2, 10);
        Assert.Equal([[1, 2]], batches.Batches);

        coalescer.Add(3, 10);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Single(batches.Batches);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([[1, 2], [3]], batches.Batches);
    }

    [Fact]
    public void Add_WithAZeroFlushDelay_SendsEveryMessageAtOnce()
    {
        var (coalescer, batches, _) = Create(flush: TimeSpan.Zero);
        coalescer.Add(1, 10);
        coalescer.Add(2, 10);

        Assert.Equal([[1], [2]], batches.Batches);
    }

    [Fact]
    public void Dispose_WithMessagesPending_SendsThemAndRefusesMore()
    {
        var (coalescer, batches, time) = Create();
        coalescer.Add(1, 10);
        coalescer.Dispose();

        Assert.Equal([[1]], batches.Batches);
        Assert.Throws<ObjectDisposedException>(() => coalescer.Add(2, 10));
        time.Advance(s_flush);
        Assert.Single(batches.Batches);
    }

    [Fact]
    public void Flush_SendsWhatIsPendingAndNothingWhenEmpty()
    {
        var (coalescer, batches, _) = Create();
        coalescer.Flush();
        Assert.Empty(batches.Batches);

        coalescer.Add(1, 10);
        coalescer.Flush();
        Assert.Equal([[1]], batches.Batches);
    }

    [Fact]
    public void Body_OfSeveralEntries_IsTheBatchDocumentWithEachBodyVerbatim()
    {
        var id = Guid.Parse("6a1f0e4e-8f43-4d9b-9e35-2d6f0d0c1a7b");
        var body = PeerBatchSender.Body([(id, "renewal", """{"job":"DE/a","epoch":2}"""u8.ToArray()), (id, "report", """{"job":"DE/b"}"""u8.ToArray())]);

        using var document = JsonDocument.Parse(body);
        var entries = document.RootElement.GetProperty("entries");
        Assert.Equal(2, entries.GetArrayLength());
        Assert.Equal(id, entries[0].GetProperty("id").GetGuid());
        Assert.Equal("renewal", entries[0].GetProperty("kind").GetString());
        Assert.Equal(2, entries[0].GetProperty("body").GetProperty("epoch").GetInt32());
        Assert.Equal("DE/b", entries[1].GetProperty("body").GetProperty("job").GetString());
        Assert.True(body.Length <= PeerBatchSender.EnvelopeBytes + (2 * PeerBatchSender.EntryBytes) + 38, $"envelope and entries took {body.Length} bytes");
    }

    [Theory]
    [InlineData(0, 4096, 2, "MaxMessages")]
    [InlineData(256, 100, 2, "MaxBytes")]
    [InlineData(256, 4096, -1, "FlushMilliseconds")]
    [InlineData(256, 4096, 5000, "FlushMilliseconds")]
    public void Validator_AValueOutOfRange_FailsNamingTheSetting(int maxMessages, long maxBytes, int flush, string property)
    {
        var result = new MessageBatchOptionsValidator().Validate(null, new MessageBatchOptions { MaxMessages = maxMessages, MaxBytes = maxBytes, FlushMilliseconds = flush });

        Assert.True(result.Failed);
        Assert.Contains($"Federation:Peering:Batch:{property}", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_TheDefaults_Pass() =>
        Assert.True(new MessageBatchOptionsValidator().Validate(null, new MessageBatchOptions()).Succeeded);
}
