using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Federation.Fedctl.Connection;

/// <summary>
/// Calls a nation's user API and turns every failure into a message that says what to do next,
/// with a distinct exit code.
/// </summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpMessageHandler _handler;
    private readonly HttpClient _http;
    private readonly HttpClient _streams;
    private readonly FedctlSettings _settings;
    private string? _serverCertificate;

    /// <summary>Creates a client for <paramref name="settings"/>.</summary>
    public ApiClient(FedctlSettings settings, HttpMessageHandler? handler = null)
    {
        _settings = settings;
        _handler = handler ?? new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            SslOptions =
            {
                // The usual validation; the subject is kept only to say who answered when it fails
                // (a nation's federation port presents its nation's certificate).
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    _serverCertificate = certificate?.Subject;
                    return errors == System.Net.Security.SslPolicyErrors.None;
                },
            },
        };
        _http = new HttpClient(_handler, disposeHandler: false)
        {
            BaseAddress = settings.Url,
            Timeout = TimeSpan.FromSeconds(60),
        };

        // Streams (server-sent events) last as long as what they follow: no overall timeout; the
        // connect timeout of the handler still applies, and the caller's token ends them.
        _streams = new HttpClient(_handler, disposeHandler: false)
        {
            BaseAddress = settings.Url,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (settings.Token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
            _streams.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        }
    }

    /// <summary>The silo's address.</summary>
    public Uri BaseAddress => _settings.Url;

    /// <summary>Sends a request; returns the JSON body and ETag of a success, or throws <see cref="FedctlException"/>.</summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, JsonNode? body = null, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        var response = await TrySendAsync(method, path, body, ifMatch, cancellationToken);
        return response.IsSuccess ? response : throw Explain(method, path, response);
    }

    /// <summary>Sends a request and returns whatever came back (no exception for HTTP errors, only for an unreachable silo).</summary>
    public Task<ApiResponse> TrySendAsync(HttpMethod method, string path, JsonNode? body = null, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        TrySendAsync(_http, method, path, body, ifMatch, cancellationToken);

    /// <summary>
    /// Sends a request that takes as long as the server's work (a pull from a peer): no 60 s limit,
    /// <paramref name="cancellationToken"/> ends the wait; returns the body of a success, or throws.
    /// </summary>
    public async Task<ApiResponse> SendUntimedAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        var response = await TrySendAsync(_streams, method, path, body, null, cancellationToken);
        return response.IsSuccess ? response : throw Explain(method, path, response);
    }

    private async Task<ApiResponse> TrySendAsync(HttpClient client, HttpMethod method, string path, JsonNode? body, string? ifMatch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw Failed(e);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FedctlException($"the silo at {_settings.Url} did not answer within {_http.Timeout.TotalSeconds:0} s; check its health at {_settings.Url}health/ready", ExitCodes.Unreachable);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (WrongEndpoint.From(response, text, $"{method} /{path.TrimStart('/')}", _settings.UrlSource) is { } wrong)
            {
                throw wrong;
            }

            return new ApiResponse(response.StatusCode, ParseJson(response, text), response.Headers.ETag?.Tag);
        }
    }

    /// <summary>
    /// Opens a stream of server-sent events with GET <paramref name="path"/>, resuming after
    /// <paramref name="lastEventId"/> when given (<c>Last-Event-ID</c>). Returns the response of a
    /// success with its body unread (the caller disposes it); throws <see cref="FedctlException"/>
    /// like <see cref="SendAsync"/> when the silo cannot be reached or refuses.
    /// </summary>
    public async Task<HttpResponseMessage> OpenEventStreamAsync(string path, string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        HttpResponseMessage response;
        try
        {
            response = await _streams.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(e);
        }

        if (response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            return response;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var asked = $"GET /{path.TrimStart('/')}";
            if (WrongEndpoint.From(response, text, asked, _settings.UrlSource) is { } wrong)
            {
                throw wrong;
            }

            throw response.IsSuccessStatusCode
                ? new FedctlException(
                    $"{_settings.Url} answered {asked} with {response.Content.Headers.ContentType?.MediaType ?? "no content type"}, not the event stream (text/event-stream) a nation's user API sends; {WrongEndpoint.Expected} (url from {_settings.UrlSource})",
                    ExitCodes.WrongEndpoint)
                : Explain(HttpMethod.Get, path, new ApiResponse(response.StatusCode, ParseJson(response, text), null));
        }
    }

    /// <summary>
    /// Sends <paramref name="content"/> as <c>application/octet-stream</c> with <paramref name="headers"/>
    /// (no overall timeout: artifacts may be large); returns the JSON answer of a success or throws
    /// <see cref="FedctlException"/> like <see cref="SendAsync"/>.
    /// </summary>
    public async Task<ApiResponse> SendBytesAsync(HttpMethod method, string path, Stream content, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(headers);
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = new StreamContent(content) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await SendStreamingAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var answer = new ApiResponse(response.StatusCode, ParseJson(response, text), response.Headers.ETag?.Tag);
        return answer.IsSuccess ? answer : throw Explain(method, path, answer);
    }

    /// <summary>
    /// GETs <paramref name="path"/> and copies its body to <paramref name="target"/>; returns the
    /// response headers of a success or throws <see cref="FedctlException"/> like <see cref="SendAsync"/>.
    /// </summary>
    public async Task<HttpResponseHeaders> DownloadAsync(string path, Stream target, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        using var response = await SendStreamingAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw Explain(HttpMethod.Get, path, new ApiResponse(response.StatusCode, ParseJson(response, text), null));
        }

        await response.Content.CopyToAsync(target, cancellationToken);
        return response.Headers;
    }

    private async Task<HttpResponseMessage> SendStreamingAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            return await _streams.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(e);
        }
    }

    /// <summary>
    /// The failure of a request that got no HTTP answer: the silo cannot be reached (nothing
    /// listens, the name is unknown), or something else answered there (<see cref="WrongEndpoint"/>).
    /// </summary>
    public FedctlException Failed(HttpRequestException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.InnerException is SocketException || e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            return new FedctlException(
                $"cannot reach the silo at {_settings.Url} ({e.Message.TrimEnd('.')}). Is it running? Start one with 'dotnet run --project silos/Federation.Silo', or point fedctl elsewhere with --url, FEDCTL_URL or 'fedctl config set --url' (url from {_settings.UrlSource}).",
                ExitCodes.Unreachable);
        }

        return WrongEndpoint.From(e, _settings.Url, _settings.UrlSource, _serverCertificate)
            ?? new FedctlException($"the request to {_settings.Url} failed: {e.Message.ReplaceLineEndings(" ")} (url from {_settings.UrlSource})", ExitCodes.Unreachable);
    }

    /// <summary>The JSON body of an answer whose content type is JSON, else null.</summary>
    public static JsonNode? ParseJson(HttpResponseMessage response, string text)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (text.Length == 0 || response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) != true)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The failure message and exit code for a refused request.</summary>
    public FedctlException Explain(HttpMethod method, string path, ApiResponse response)
    {
        var detail = response.Body?["detail"]?.GetValue<string>() ?? $"HTTP {(int)response.Status}";
        return response.Status switch
        {
            HttpStatusCode.Unauthorized => new FedctlException(
                $"the silo rejected the token (from {_settings.TokenSource}): {detail} Pass the right one with --token, FEDCTL_TOKEN or 'fedctl config set --token'.",
                ExitCodes.Unauthorized),
            HttpStatusCode.Forbidden => new FedctlException($"not allowed: {detail}", ExitCodes.Unauthorized),
            HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => new FedctlException(DescribeInvalid(response.Body, detail), ExitCodes.Invalid),
            HttpStatusCode.NotFound => new FedctlException($"not found: {detail}", ExitCodes.NotFound),
            HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed or HttpStatusCode.PreconditionRequired => new FedctlException($"refused: {detail}", ExitCodes.Conflict),
            HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnsupportedMediaType => new FedctlException($"refused: {detail}", ExitCodes.Invalid),
            _ when (int)response.Status >= 500 => new FedctlException($"the silo could not serve {method} {path}: {detail}", ExitCodes.Unavailable),
            _ => new FedctlException($"{method} {path} failed: {detail}", ExitCodes.Failure),
        };
    }

    /// <summary>"invalid input" followed by one line per field and rule.</summary>
    public static string DescribeInvalid(JsonNode? problem, string detail)
    {
        if (problem?["errors"] is not JsonObject errors || errors.Count == 0)
        {
            return $"invalid input: {detail}";
        }

        var lines = errors.SelectMany(e => e.Value!.AsArray().Select(rule => $"  {e.Key}: {rule!.GetValue<string>()}"));
        return "invalid input:" + Environment.NewLine + string.Join(Environment.NewLine, lines);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _http.Dispose();
        _streams.Dispose();
        _handler.Dispose();
    }
}
