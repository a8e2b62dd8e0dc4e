using Federation.Contracts.Json;
using Federation.Protocol.Messages;
using Federation.Protocol.Wire;

namespace Federation.Silo.Jobs.Dispatch;

/// <summary>
/// A peer's answer to <c>GET /federation/v1/hello</c> (the protocol versions it speaks, the batches it
/// takes), asked once and again every <see cref="AskAgain"/> (after a failure, every
/// <see cref="AskAgainAfterFailure"/>), so that a peer upgraded or rolled back is spoken to as it is now.
/// </summary>
public sealed partial class PeerHello
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    private readonly string _peer;
    private readonly HttpClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private Task<HelloResponse?>? _hello;
    private DateTimeOffset _expires;

    /// <summary>The hello of <paramref name="peer"/>, asked over <paramref name="client"/>.</summary>
    public PeerHello(string peer, HttpClient client, TimeProvider time, ILogger logger)
    {
        _peer = peer;
        _client = client;
        _time = time;
        _logger = logger;
    }

    /// <summary>How long an answer is used before the peer is asked again.</summary>
    public static TimeSpan AskAgain { get; } = TimeSpan.FromMinutes(5);

    /// <summary>How long after a failed ask the peer is asked again.</summary>
    public static TimeSpan AskAgainAfterFailure { get; } = TimeSpan.FromSeconds(10);

    /// <summary>The peer's answer, or null when it could not be asked (meanwhile its roster entry is what is known of it).</summary>
    public Task<HelloResponse?> AskAsync()
    {
        lock (_lock)
        {
            if (_hello is null || _time.GetUtcNow() >= _expires)
            {
                _expires = DateTimeOffset.MaxValue;
                _hello = FetchAsync();
            }

            return _hello;
        }
    }

    /// <summary>Forgets the answer: the peer is asked again before the next message (it refused what its answer promised).</summary>
    public void Forget()
    {
        lock (_lock)
        {
            _hello = null;
        }
    }

    private async Task<HelloResponse?> FetchAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(s_timeout);
            using var request = new HttpRequestMessage(HttpMethod.Get, FederationRoutes.Hello).WithRequestId(Guid.NewGuid());
            using var response = await _client.SendAsync(request, timeout.Token);
            response.EnsureSuccessStatusCode();
            var hello = await response.Content.ReadFromJsonAsync<HelloResponse>(FederationJson.Options, timeout.Token);
            ExpireAfter(AskAgain);
            return hello;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Meanwhile messages go one per request, at the version of the peer's roster entry, and fail the same way if it is down.
            LogHelloFailed(_logger, _peer, e);
            ExpireAfter(AskAgainAfterFailure);
            return null;
        }
    }

    private void ExpireAfter(TimeSpan delay)
    {
        lock (_lock)
        {
            _expires = _time.GetUtcNow() + delay;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not ask {Nation} for its hello (protocol versions, batches); messages go one per request meanwhile")]
    private static partial void LogHelloFailed(ILogger logger, string nation, Exception exception);
}
