using System.Buffers;
using System.Net;
using System.Text.Json;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Protocol.Messages;
using Federation.Protocol.Wire;

namespace Federation.Silo.Jobs.Dispatch;

/// <summary>
/// Sends job messages to one peer in batches (<c>POST /federation/v1/jobs/batches</c>) when the peer's
/// <c>hello</c> advertises them, and tells each message how it ended from its own entry of the answer.
/// A message that cannot go in a batch (the peer does not take batches, or could not be asked, or the
/// message alone is over the size bound) is left to the caller, which sends it on its own route.
/// </summary>
public sealed partial class PeerBatchSender : IDisposable
{
    /// <summary>Bytes a batch's envelope adds around its entries, at most.</summary>
    public const int EnvelopeBytes = 16;

    /// <summary>Bytes an entry adds around its body (id, kind, separators), at most.</summary>
    public const int EntryBytes = 96;

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(15);

    private readonly string _peer;
    private readonly HttpClient _client;
    private readonly SemaphoreSlim _gate;
    private readonly BatchBounds _bounds;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly ITimer _statistics;
    private readonly PeerHello _hello;
    private MessageCoalescer<BatchItem>? _coalescer;
    private bool _disposed;
    private long _requests;
    private long _messages;
    private long _largest;
    private long _reported;

    /// <summary>A sender of batches to <paramref name="peer"/>.</summary>
    /// <param name="peer">The peer's nation code, for errors and logs.</param>
    /// <param name="client">The peer's client (mutual TLS, base address).</param>
    /// <param name="gate">Requests to the peer on the wire at once, shared with single messages.</param>
    /// <param name="bounds">This nation's bounds; a batch is also held to the peer's advertised limits.</param>
    /// <param name="time">The clock of the flush delay and of asking <c>hello</c> again.</param>
    /// <param name="logger">Where batch failures are logged.</param>
    /// <param name="hello">The peer's hello, shared with the courier (none: this sender asks its own).</param>
    public PeerBatchSender(string peer, HttpClient client, SemaphoreSlim gate, BatchBounds bounds, TimeProvider time, ILogger logger, PeerHello? hello = null)
    {
        _hello = hello ?? new PeerHello(peer, client, time, logger);
        _peer = peer;
        _client = client;
        _gate = gate;
        _bounds = bounds;
        _time = time;
        _logger = logger;
        _statistics = time.CreateTimer(_ => ReportStatistics(), null, StatisticsEvery, StatisticsEvery);
        Federation.Silo.Telemetry.PipelineMetrics.TrackSender(this, peer, Totals);
    }

    /// <summary>How often the batches sent so far are logged (at Information, only when more were sent).</summary>
    public static TimeSpan StatisticsEvery { get; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Sends <paramref name="message"/> (whose wire body is <paramref name="body"/>) in a batch and returns how
    /// it ended, or <see langword="null"/> when it must go on its own route. The body and its entry are written in
    /// the peer's negotiated protocol <paramref name="version"/> (before 2, no <c>traceParent</c>).
    /// </summary>
    public async Task<Delivery?> TrySendAsync(OutboxMessage message, IFederationHandler handler, object body, int version = Federation.Protocol.Roster.ProtocolVersions.Newest)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(body);
        if (await LimitsAsync() is not { } limits)
        {
            return null;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), FederationJson.ForProtocol(version));
        var size = bytes.Length + EntryBytes;
        var coalescer = Coalescer(limits);
        if (coalescer is null || size > coalescer.Bounds.MaxBytes)
        {
            return null;
        }

        var item = new BatchItem(message, handler, bytes, version >= 2 ? Federation.Grains.Diagnostics.JobTracing.CurrentParent() : null, new TaskCompletionSource<Delivery>(TaskCreationOptions.RunContinuationsAsynchronously));
        coalescer.Add(item, size);
        return await item.Done.Task;
    }

    /// <summary>Writes the body of a batch of <paramref name="items"/>.</summary>
    public static byte[] Body(IReadOnlyList<(Guid Id, string Kind, ReadOnlyMemory<byte> Body)> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Body([.. items.Select(i => (i.Id, i.Kind, i.Body, (string?)null))]);
    }

    /// <summary>Writes the body of a batch of <paramref name="items"/>, each entry with the W3C <c>traceparent</c> of its send when traced.</summary>
    public static byte[] Body(IReadOnlyList<(Guid Id, string Kind, ReadOnlyMemory<byte> Body, string? TraceParent)> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("entries");
            foreach (var (id, kind, entry, traceParent) in items)
            {
                writer.WriteStartObject();
                writer.WriteString("id", id);
                writer.WriteString("kind", kind);
                if (traceParent is not null)
                {
                    writer.WriteString("traceParent", traceParent);
                }

                writer.WritePropertyName("body");
                writer.WriteRawValue(entry.Span, skipInputValidation: true);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        MessageCoalescer<BatchItem>? coalescer;
        lock (_lock)
        {
            _disposed = true;
            coalescer = _coalescer;
            _coalescer = null;
        }

        coalescer?.Dispose();
        _statistics.Dispose();
        ReportStatistics();
        Federation.Silo.Telemetry.PipelineMetrics.RetireSender(this);
    }

    /// <summary>The peer's batch limits (from its hello, asked once and again after a while), or null when it takes no batches.</summary>
    private async Task<BatchLimits?> LimitsAsync() =>
        (await _hello.AskAsync())?.MessageBatches is { MaxMessages: >= 1, MaxBytes: > EnvelopeBytes + EntryBytes } limits ? limits : null;

    private void ForgetHello() => _hello.Forget();

    private MessageCoalescer<BatchItem>? Coalescer(BatchLimits limits)
    {
        var bounds = _bounds.Within(limits with { MaxBytes = limits.MaxBytes - EnvelopeBytes });
        MessageCoalescer<BatchItem>? replaced = null;
        MessageCoalescer<BatchItem> coalescer;
        lock (_lock)
        {
            if (_disposed)
            {
                return null;
            }

            if (_coalescer is { } current && current.Bounds == bounds)
            {
                return current;
            }

            replaced = _coalescer;
            MessageCoalescer<BatchItem>? created = null;
            created = new MessageCoalescer<BatchItem>(bounds, _time, batch => _ = SendAsync(created!, batch));
            coalescer = _coalescer = created;
        }

        replaced?.Dispose();
        return coalescer;
    }

    private async Task SendAsync(MessageCoalescer<BatchItem> coalescer, IReadOnlyList<BatchItem> batch)
    {
        try
        {
            var outcomes = await PostAsync(batch);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(outcomes[i]);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var failed = Delivery.Failed($"a batch of {batch.Count} messages to {_peer} failed: {e.GetBaseException().Message}");
            foreach (var item in batch)
            {
                item.Done.TrySetResult(failed);
            }
        }
        finally
        {
            // The peer is idle again for this coalescer: what gathered meanwhile leaves now.
            coalescer.Ended();
        }
    }

    private async Task<Delivery[]> PostAsync(IReadOnlyList<BatchItem> batch)
    {
        var body = Body([.. batch.Select(i => (i.Message.Id, i.Handler.BatchKind, (ReadOnlyMemory<byte>)i.Body, i.TraceParent))]);
        if (!await _gate.WaitAsync(s_timeout))
        {
            return Fill(batch, Delivery.Failed($"the requests to {_peer} were all on their way for {s_timeout.TotalSeconds:0} s; a batch of {batch.Count} was not sent"));
        }

        try
        {
            lock (_lock)
            {
                _requests++;
                _messages += batch.Count;
                _largest = Math.Max(_largest, batch.Count);
            }

            using var timeout = new CancellationTokenSource(s_timeout);
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, FederationRoutes.Batches) { Content = content }.WithRequestId(Guid.NewGuid());
            MarkStages(batch, "posted");
            using var response = await _client.SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.RequestEntityTooLarge)
                {
                    // The peer no longer takes batches, or took smaller ones: ask it again before the next message.
                    ForgetHello();
                }

                var detail = await response.Content.ReadAsStringAsync(timeout.Token);
                return Fill(batch, Delivery.Failed($"{_peer} answered a batch of {batch.Count} with HTTP {(int)response.StatusCode}: {Cut(detail)}"));
            }

            var answer = await response.Content.ReadFromJsonAsync<MessageBatchAnswer>(FederationJson.Options, timeout.Token);
            var outcomes = new Delivery[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                var outcome = answer?.Entries.FirstOrDefault(e => e.Index == i);
                outcomes[i] = outcome switch
                {
                    null => Delivery.Failed($"{_peer} did not answer entry {i} of a batch of {batch.Count}"),
                    { Status: >= 200 and < 300 } => batch[i].Handler.ReadAnswer(outcome.Answer),
                    _ => Delivery.Failed($"{_peer} answered entry {i} of a batch with HTTP {outcome.Status}: {Cut(outcome.Problem?.GetRawText() ?? "")}"),
                };
            }

            MarkStages(batch, "answered");
            return outcomes;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static void MarkStages(IReadOnlyList<BatchItem> batch, string what)
    {
        if (Federation.Grains.Jobs.JobStages.Enabled)
        {
            foreach (var item in batch)
            {
                Federation.Grains.Jobs.JobStages.Mark(item.Message.Message.Job, $"{item.Handler.BatchKind}.{what}");
            }
        }
    }

    private static Delivery[] Fill(IReadOnlyList<BatchItem> batch, Delivery delivery) => [.. batch.Select(_ => delivery)];

    private (long Messages, long Requests) Totals()
    {
        lock (_lock)
        {
            return (_messages, _requests);
        }
    }

    private void ReportStatistics()
    {
        long requests, messages, largest;
        lock (_lock)
        {
            (requests, messages, largest) = (_requests, _messages, _largest);
            if (requests == _reported)
            {
                return;
            }

            _reported = requests;
        }

        LogStatistics(_logger, _peer, messages, requests, (double)messages / requests, largest);
    }

    private static string Cut(string text) => text.Length > 300 ? text[..300] : text;

    [LoggerMessage(EventId = 5701, Level = LogLevel.Information, Message = "Batches to {Nation}: {Messages} messages in {Requests} requests so far ({PerRequest:F2} per request; largest so far {Largest})")]
    private static partial void LogStatistics(ILogger logger, string nation, long messages, long requests, double perRequest, long largest);

    private sealed record BatchItem(OutboxMessage Message, IFederationHandler Handler, byte[] Body, string? TraceParent, TaskCompletionSource<Delivery> Done);
}
