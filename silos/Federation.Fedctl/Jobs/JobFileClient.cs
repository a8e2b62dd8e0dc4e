using System.Net;
using System.Net.Http.Headers;
using Federation.Fedctl.Connection;

namespace Federation.Fedctl.Jobs;

/// <summary>
/// Reads a job's logs and output files from a nation's API as they come (text or bytes, any size),
/// with the same failure messages and exit codes as <see cref="ApiClient"/>, and a distinct one
/// (<see cref="JobFileCommands.Withheld"/>) when the nation that ran the job keeps them there.
/// </summary>
public sealed class JobFileClient : IDisposable
{
    private static readonly TimeSpan s_headersTimeout = TimeSpan.FromSeconds(60);
    private readonly HttpClient _http;
    private readonly FedctlSettings _settings;
    private readonly ApiClient _api;

    /// <summary>Creates a client for <paramref name="settings"/>; refusals are explained by <paramref name="api"/>.</summary>
    public JobFileClient(FedctlSettings settings, ApiClient api)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _api = api;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = settings.Url,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (settings.Token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        }
    }

    /// <summary>GETs <paramref name="path"/>; returns the response of a success with its body unread (the caller disposes it), else throws <see cref="FedctlException"/>.</summary>
    public async Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            using var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            headers.CancelAfter(s_headersTimeout);
            response = await _http.GetAsync(path.TrimStart('/'), HttpCompletionOption.ResponseHeadersRead, headers.Token);
        }
        catch (HttpRequestException e)
        {
            throw _api.Failed(e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FedctlException($"the silo at {_settings.Url} did not answer within {s_headersTimeout.TotalSeconds:0} s; check its health at {_settings.Url}health/ready", ExitCodes.Unreachable);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (WrongEndpoint.From(response, text, $"GET /{path.TrimStart('/')}", _settings.UrlSource) is { } wrong)
            {
                throw wrong;
            }

            var problem = ApiClient.ParseJson(response, text);

            if (response.StatusCode == HttpStatusCode.Forbidden && problem?["withheldIn"] is { } nation)
            {
                throw new FedctlException($"withheld in {nation.GetValue<string>()}: {problem["detail"]?.GetValue<string>()}", JobFileCommands.Withheld);
            }

            throw _api.Explain(HttpMethod.Get, path, new ApiResponse(response.StatusCode, problem, null));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
