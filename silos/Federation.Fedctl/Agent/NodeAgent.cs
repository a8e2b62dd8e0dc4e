using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Json;

namespace Federation.Fedctl.Agent;

/// <summary>
/// The agent on a GPU node: registers the node (with an operator token), then sends its heartbeat
/// every interval until stopped. It outlives silo restarts: transient failures (connection
/// refused, 5xx, timeouts) are retried with capped exponential backoff, and it reports one line per
/// change of link state. On a graceful stop it simply stops heartbeating, so the node's lease runs
/// out and the silo marks it down by itself.
/// </summary>
public sealed partial class NodeAgent : IDisposable
{
    /// <summary>Exit code after a graceful stop (cancellation).</summary>
    public const int ExitStopped = 0;

    /// <summary>Exit code when the silo refused the node's spec or a heartbeat for a reason retrying cannot fix.</summary>
    public const int ExitRefused = 1;

    /// <summary>Exit code when the silo rejected the token (401, or 403 on a heartbeat).</summary>
    public const int ExitTokenRejected = 2;

    private static readonly TimeSpan s_firstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan s_pooledConnectionLifetime = TimeSpan.FromMinutes(1);
    private const int MaxUpdateAttempts = 5;

    private readonly NodeAgentOptions _options;
    private readonly IPowerSampler? _powerSampler;
    private readonly HttpClient _http;
    private readonly Uri _apiBase;

    private bool _canRegister;
    private bool _everConnected;
    private long? _lostSince;
    private string? _lostCategory;
    private TimeSpan? _retryDelay;

    /// <summary>Creates an agent; <paramref name="powerSampler"/> null picks nvidia-smi when it answers, else the TDP estimate.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message names each property and rule.</exception>
    public NodeAgent(NodeAgentOptions options, IPowerSampler? powerSampler = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        _options = options;
        _powerSampler = powerSampler;
        _canRegister = options.Register;
        _apiBase = ApiBase(options.ApiUrl);
        var handler = new SocketsHttpHandler
        {
            // Recycled so that a silo moved behind the same name (DNS, restart) is found again.
            PooledConnectionLifetime = s_pooledConnectionLifetime,
            ConnectTimeout = s_connectTimeout,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        if (options.Token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        }

        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("fedctl-node-agent", "1"));
    }

    /// <summary>The user API's base the agent sends to (ends in <c>/api/v1/</c>).</summary>
    public Uri ApiBaseAddress => _apiBase;

    /// <summary>
    /// Registers or updates the node when asked to, then heartbeats until <paramref name="cancellationToken"/>
    /// is cancelled, writing status lines to <paramref name="output"/>.
    /// </summary>
    /// <returns><see cref="ExitStopped"/> after cancellation, <see cref="ExitTokenRejected"/> or <see cref="ExitRefused"/> when it gave up.</returns>
    public async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var id = _options.NodeId;
        Say(output, $"node agent for {id} at {_apiBase}: lease {Seconds(_options.Lease)} s, heartbeat every {Seconds(_options.EffectiveHeartbeatInterval)} s{(_options.Token is null ? ", no token (an open nation needs none)" : "")}");
        try
        {
            var sampler = _powerSampler ?? await ChoosePowerSamplerAsync(output, cancellationToken);
            Say(output, $"power: {sampler.Description}");
            if (_options.Register)
            {
                if (await RegisterUntilDoneAsync(output, cancellationToken) is { } exitCode)
                {
                    return exitCode;
                }
            }
            else
            {
                Say(output, $"registration: not requested; heartbeating only (node {id} must be registered already)");
            }

            return await HeartbeatUntilStoppedAsync(output, sampler, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Say(output, $"stopped: no more heartbeats; node {id} goes down by itself when its lease ({Seconds(_options.Lease)} s) runs out");
            return ExitStopped;
        }
    }

    /// <summary>Drains the node (<paramref name="draining"/> true: no new work) or resumes it; one attempt, no retry.</summary>
    /// <returns>The node as the silo holds it afterwards.</returns>
    /// <exception cref="NodeAgentException">The silo refused (token, unknown node) or could not be reached.</exception>
    public async Task<GpuNodeRecord> DrainAsync(bool draining, CancellationToken cancellationToken)
    {
        var id = _options.NodeId;
        var reply = await SendAsync(HttpMethod.Post, $"nodes/{Uri.EscapeDataString(id.Value)}:drain", new DrainBody(draining), null, cancellationToken);
        if (reply.Failure is { } failure)
        {
            throw new NodeAgentException($"the silo at {_apiBase} could not be reached: {failure}");
        }

        return reply.Status switch
        {
            HttpStatusCode.OK => ReadRecord(reply) ?? throw new NodeAgentException($"the silo answered the drain of node {id} with an unreadable body: {Shorten(reply.Body)}"),
            HttpStatusCode.Unauthorized => throw new NodeAgentException(TokenRejected(reply, "the silo does not know this token")),
            HttpStatusCode.Forbidden => throw new NodeAgentException(
                $"token rejected: draining needs an operator token (HTTP 403: {Detail(reply)}); a node's token may only send its heartbeats"),
            HttpStatusCode.NotFound => throw new NodeAgentException($"node {id} is not registered on the silo at {_apiBase} ({Detail(reply)})"),
            _ => throw new NodeAgentException($"the silo refused to {(draining ? "drain" : "resume")} node {id}: HTTP {(int)reply.Status!} {reply.Status}: {Detail(reply)}"),
        };
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task<IPowerSampler> ChoosePowerSamplerAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var smi = new NvidiaSmiPowerSampler();
        if (smi.ExecutablePath is not null)
        {
            if (await smi.SampleWattsAsync(cancellationToken) is not null)
            {
                return smi;
            }

            Say(output, $"power: {NvidiaSmiPowerSampler.ExecutableName} is on PATH but gave no figure ({smi.LastError}); falling back to the estimate");
        }

        return new TdpEstimatePowerSampler(_options.Accelerator, _options.Count);
    }

    /// <summary>Null once the node is registered (or registration is not allowed); else the exit code.</summary>
    private async Task<int?> RegisterUntilDoneAsync(TextWriter output, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (kind, message) = await RegisterOnceAsync(cancellationToken);
            switch (kind)
            {
                case Outcome.Done:
                    MarkConnected(output);
                    Say(output, message);
                    return null;
                case Outcome.Forbidden:
                    MarkConnected(output);
                    _canRegister = false;
                    Say(output, $"registration skipped: this token may not register nodes (a node's token, not an operator's); heartbeating only ({message})");
                    return null;
                case Outcome.TokenRejected:
                    Say(output, message);
                    return ExitTokenRejected;
                case Outcome.Refused:
                    Say(output, message);
                    return ExitRefused;
                default:
                    MarkLost(output, message);
                    await Task.Delay(NextRetryDelay(), cancellationToken);
                    break;
            }
        }
    }

    private async Task<(Outcome Kind, string Message)> RegisterOnceAsync(CancellationToken cancellationToken)
    {
        var id = _options.NodeId;
        var body = new NodeBody(id.Value, _options.Site!, _options.Accelerator!.Value.Value, _options.Count!.Value, _options.MemoryGb, _options.LeaseSeconds);
        var created = await SendAsync(HttpMethod.Post, "nodes", body, null, cancellationToken);
        switch (Classify(created))
        {
            case Outcome.Done when created.Status == HttpStatusCode.Created:
                return (Outcome.Done, $"registered node {id} ({Describe(ReadRecord(created))})");
            case Outcome.Done:
                return (Outcome.Done, $"node {id} is registered with this spec already ({Describe(ReadRecord(created))})");
            case Outcome.Conflict:
                break;
            case var other:
                return (other, RegistrationMessage(other, created));
        }

        // Registered with another spec: make it the agent's, with the version just read.
        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var current = await SendAsync(HttpMethod.Get, $"nodes/{Uri.EscapeDataString(id.Value)}", null, null, cancellationToken);
            var kind = Classify(current);
            if (kind == Outcome.NotFound)
            {
                return (Outcome.Transient, $"node {id} was deleted while the agent updated it; registering again");
            }

            if (kind != Outcome.Done)
            {
                return (kind, RegistrationMessage(kind, current));
            }

            var updated = await SendAsync(HttpMethod.Put, $"nodes/{Uri.EscapeDataString(id.Value)}", body, current.ETag ?? EntityTagHeaderValue.Any, cancellationToken);
            kind = Classify(updated);
            if (kind == Outcome.Done)
            {
                return (Outcome.Done, $"node {id} was registered with another spec: updated it to the agent's ({Describe(ReadRecord(updated))})");
            }

            if (updated.Status != HttpStatusCode.PreconditionFailed)
            {
                return (kind, RegistrationMessage(kind, updated));
            }
        }

        return (Outcome.Transient, $"node {id} kept changing while the agent updated it ({MaxUpdateAttempts} attempts)");
    }

    private string RegistrationMessage(Outcome kind, Reply reply) => kind switch
    {
        Outcome.Transient => TransientReason(reply),
        Outcome.TokenRejected => TokenRejected(reply, "the silo does not know this token"),
        Outcome.Forbidden => $"HTTP 403: {Detail(reply)}",
        _ => $"the silo refused to register node {_options.NodeId}: HTTP {(int)reply.Status!} {reply.Status}: {Detail(reply)}",
    };

    private async Task<int> HeartbeatUntilStoppedAsync(TextWriter output, IPowerSampler sampler, CancellationToken cancellationToken)
    {
        var id = _options.NodeId;
        var path = $"nodes/{Uri.EscapeDataString(id.Value)}/heartbeat";
        NodeState? lastState = null;
        var measuring = sampler is not TdpEstimatePowerSampler;
        while (true)
        {
            var begun = Stopwatch.GetTimestamp();
            var watts = await sampler.SampleWattsAsync(cancellationToken);
            if (sampler is not TdpEstimatePowerSampler && measuring != watts.HasValue)
            {
                measuring = watts.HasValue;
                Say(output, measuring
                    ? $"power: measured again ({sampler.Description})"
                    : $"power: no measurement{(sampler is NvidiaSmiPowerSampler { LastError: { } why } ? $" ({why})" : "")}; heartbeats carry none until it returns, and the silo estimates tdp x count");
            }

            var reply = await SendAsync(HttpMethod.Post, path, new HeartbeatBody(watts), null, cancellationToken);
            TimeSpan delay;
            switch (Classify(reply))
            {
                case Outcome.Done:
                    MarkConnected(output);
                    if (ReadRecord(reply) is { } record && record.State != lastState)
                    {
                        lastState = record.State;
                        Say(output, $"node {id} is {Name(record.State)} ({Describe(record)})");
                    }

                    delay = _options.EffectiveHeartbeatInterval - Stopwatch.GetElapsedTime(begun);
                    break;
                case Outcome.NotFound when _canRegister:
                    MarkConnected(output);
                    lastState = null;
                    Say(output, $"node {id} is not registered on the silo (deleted, or the silo lost its state): registering it again");
                    if (await RegisterUntilDoneAsync(output, cancellationToken) is { } exitCode)
                    {
                        return exitCode;
                    }

                    delay = TimeSpan.Zero;
                    break;
                case Outcome.NotFound:
                    lastState = null;
                    MarkLost(output, $"node {id} is not registered on the silo; register it with an operator token (this agent with --register, or fedctl); retrying", "not registered");
                    delay = NextRetryDelay();
                    break;
                case Outcome.TokenRejected:
                    Say(output, TokenRejected(reply, "the silo does not know this token"));
                    return ExitTokenRejected;
                case Outcome.Forbidden:
                    Say(output, TokenRejected(reply, $"it may not send heartbeats for node {id}"));
                    return ExitTokenRejected;
                case Outcome.Transient:
                    lastState = null;
                    MarkLost(output, TransientReason(reply));
                    delay = NextRetryDelay();
                    break;
                default:
                    Say(output, $"heartbeat refused: HTTP {(int)reply.Status!} {reply.Status}: {Detail(reply)}");
                    return ExitRefused;
            }

            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    private void MarkConnected(TextWriter output)
    {
        _retryDelay = null;
        if (!_everConnected)
        {
            _everConnected = true;
            var waited = _lostSince is { } since ? $" after {Seconds(Stopwatch.GetElapsedTime(since))} s of retries" : "";
            Say(output, $"connected to {_apiBase}{waited}");
        }
        else if (_lostSince is { } since)
        {
            Say(output, $"reconnected after {Seconds(Stopwatch.GetElapsedTime(since))} s");
        }

        _lostSince = null;
        _lostCategory = null;
    }

    private void MarkLost(TextWriter output, string reason, string? category = null)
    {
        category ??= "unreachable";
        if (_lostSince is null)
        {
            _lostSince = Stopwatch.GetTimestamp();
            _lostCategory = category;
            Say(output, _everConnected ? $"lost: {reason}" : $"waiting for the silo: {reason}");
        }
        else if (_lostCategory != category)
        {
            _lostCategory = category;
            Say(output, $"still lost: {reason}");
        }
    }

    private TimeSpan NextRetryDelay()
    {
        var first = _options.EffectiveHeartbeatInterval < s_firstRetryDelay ? _options.EffectiveHeartbeatInterval : s_firstRetryDelay;
        var next = _retryDelay is { } previous ? previous * 2 : first;
        _retryDelay = next > _options.MaxRetryDelay ? _options.MaxRetryDelay : next;
        return _retryDelay.Value;
    }

    private async Task<Reply> SendAsync(HttpMethod method, string path, object? body, EntityTagHeaderValue? ifMatch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_apiBase, path));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: FederationJson.Options);
        }

        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(ifMatch);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            return new Reply(response.StatusCode, response.ReasonPhrase, text, response.Headers.ETag, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Reply.Failed($"no answer within {Seconds(_options.RequestTimeout)} s");
        }
        catch (HttpRequestException e)
        {
            var detail = e.InnerException is { Message: { Length: > 0 } inner } && !e.Message.Contains(inner, StringComparison.Ordinal) ? $"{e.Message} ({inner})" : e.Message;
            return Reply.Failed(e.HttpRequestError == HttpRequestError.ConnectionError ? $"cannot connect: {detail}" : detail);
        }
        catch (IOException e)
        {
            return Reply.Failed($"connection broken: {e.Message}");
        }
    }
}
