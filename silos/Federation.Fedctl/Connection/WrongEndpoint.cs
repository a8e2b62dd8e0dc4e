using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Federation.Fedctl.Connection;

/// <summary>
/// Tells a nation's user API from whatever else a URL may reach, in one line that says what answered
/// and what fedctl expected (exit <see cref="ExitCodes.WrongEndpoint"/>): a nation's user API answers
/// HTTP with JSON, and every refusal as <c>application/problem+json</c> with a title and a status.
/// </summary>
public static partial class WrongEndpoint
{
    /// <summary>The last words of every such message: what fedctl wanted instead.</summary>
    public const string Expected = "fedctl expected a nation's user API (HTTP and JSON, such as http://127.0.0.1:5180 or the API column of 'infra/local/federation status')";

    /// <summary>
    /// The explanation of a failed request that reached something (a TLS handshake that failed, an
    /// answer that is not HTTP, a connection closed without an answer); null for other failures.
    /// </summary>
    /// <param name="e">The failure.</param>
    /// <param name="url">The URL in use.</param>
    /// <param name="source">Where the URL came from (for the message).</param>
    /// <param name="serverCertificate">The subject of the certificate the server presented, if it presented one.</param>
    public static FedctlException? From(HttpRequestException e, Uri url, string source, string? serverCertificate)
    {
        ArgumentNullException.ThrowIfNull(e);
        // The handshake's own words are in the inner exception; the outer one only says to look there.
        var reason = e.HttpRequestError == HttpRequestError.SecureConnectionError && e.InnerException is { Message.Length: > 0 } tls
            ? tls.Message.ReplaceLineEndings(" ").TrimEnd('.')
            : Reason(e);
        var what = e.HttpRequestError switch
        {
            HttpRequestError.SecureConnectionError => serverCertificate is null
                ? $"the TLS handshake with {url} failed ({reason})"
                : $"{url} answers TLS with the certificate '{serverCertificate}', which fedctl does not trust (its own certificate, not one from an authority this machine trusts): that is how a nation's federation port answers (mutual TLS, for peer nations only)",
            HttpRequestError.InvalidResponse => $"{url} answered something that is not HTTP ({reason}): another kind of service listens there",
            HttpRequestError.ResponseEnded => $"{url} closed the connection without an HTTP answer: it may speak TLS (a nation's federation port is https with mutual TLS) or another protocol",
            _ => null,
        };
        return what is null ? null : new FedctlException($"{what}; {Expected} (url from {source})", ExitCodes.WrongEndpoint);
    }

    /// <summary>
    /// The explanation of an answer no nation's user API gives; null when it could be one.
    /// </summary>
    /// <param name="response">The answer (its body already read into <paramref name="text"/>).</param>
    /// <param name="text">The body.</param>
    /// <param name="request">What was asked, such as <c>GET api/v1/nodes</c>.</param>
    /// <param name="source">Where the URL came from (for the message).</param>
    /// <param name="successBodyIsJson">Whether a success must carry JSON (false for logs and output files).</param>
    public static FedctlException? From(HttpResponseMessage response, string text, string request, string source, bool successBodyIsJson = true)
    {
        ArgumentNullException.ThrowIfNull(response);
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        var json = mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase) ? TryParse(text) : null;
        bool nationLike;
        if (response.IsSuccessStatusCode)
        {
            nationLike = !successBodyIsJson || text.Length == 0 || json is not null;
        }
        else
        {
            nationLike = json is JsonObject problem && (problem["title"] is not null || problem["status"] is not null);
        }

        if (nationLike)
        {
            return null;
        }

        var url = response.RequestMessage?.RequestUri is { } uri ? uri.GetLeftPart(UriPartial.Authority) : "the URL";
        var server = response.Headers.Server.Count > 0 ? $", server '{response.Headers.Server}'" : "";
        var title = TitleOf(mediaType, text) is { } t ? $", page '{t}'" : "";
        var type = mediaType.Length == 0 ? (text.Length == 0 ? "no body" : "no content type") : mediaType;
        return new FedctlException(
            $"{url} answered {request} with HTTP {(int)response.StatusCode} {response.ReasonPhrase} ({type}{server}{title}), which no nation's user API sends (it answers JSON, and refuses with application/problem+json); {Expected} (url from {source})",
            ExitCodes.WrongEndpoint);
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? TitleOf(string mediaType, string text)
    {
        if (!mediaType.Contains("html", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var match = HtmlTitle().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var title = WebUtility.HtmlDecode(match.Groups[1].Value).ReplaceLineEndings(" ").Trim();
        return title.Length == 0 ? null : title.Length <= 60 ? title : string.Concat(title.AsSpan(0, 59), "…");
    }

    private static string Reason(HttpRequestException e)
    {
        var inner = e.InnerException?.GetBaseException().Message;
        var text = inner is { Length: > 0 } && !e.Message.Contains(inner, StringComparison.Ordinal) ? $"{e.Message.TrimEnd('.')}: {inner}" : e.Message;
        return text.ReplaceLineEndings(" ").TrimEnd('.');
    }

    [GeneratedRegex("<title[^>]*>([^<]{0,200})</title>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex HtmlTitle();
}
