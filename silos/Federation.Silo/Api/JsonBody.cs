using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Federation.Contracts.Json;
using Federation.Silo.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Api;

/// <summary>
/// Reads a JSON request body with the API's rules: <c>application/json</c> only (415), at most
/// <see cref="FederationOptions.MaxRequestBodyBytes"/> (413), well-formed and with no unknown
/// members and no member twice (400 naming the path); the shape rules of <see cref="JsonShape"/>; numbers only as JSON
/// numbers; no <c>null</c> where a value is required.
/// </summary>
public static class JsonBody
{
    /// <summary>The user API's reading rules: no unknown members, no trailing commas.</summary>
    internal static JsonSerializerOptions Strict { get; } = CreateStrict(Federation.Protocol.Roster.ProtocolVersions.Newest);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, JsonSerializerOptions> s_strictByProtocol = new();

    /// <summary>
    /// <see cref="Strict"/> for a silo that speaks federation protocol versions up to <paramref name="version"/>:
    /// members added after it (<see cref="SinceProtocolAttribute"/>) are unknown members, refused.
    /// </summary>
    internal static JsonSerializerOptions StrictFor(int version) =>
        version >= Federation.Protocol.Roster.ProtocolVersions.Newest ? Strict : s_strictByProtocol.GetOrAdd(version, CreateStrict);

    /// <summary>The strict rules of the federation protocol versions the silo of <paramref name="services"/> speaks (<c>Federation:Protocol:MaxVersion</c>).</summary>
    internal static JsonSerializerOptions StrictFor(IServiceProvider services) =>
        StrictFor(services.GetService<Federation.Silo.Peering.SpokenProtocol>()?.Max ?? Federation.Protocol.Roster.ProtocolVersions.Newest);

    /// <summary>The body as <typeparamref name="T"/>, or the problem to answer.</summary>
    public static Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request) where T : class =>
        ReadAsync<T>(request, request.HttpContext.RequestServices.GetRequiredService<IOptions<FederationOptions>>().Value.MaxRequestBodyBytes,
            "Federation:MaxRequestBodyBytes; split bulk registrations into several requests");

    /// <summary>
    /// The body as <typeparamref name="T"/>, or the problem to answer, with every rule of <see cref="ReadAsync{T}(HttpRequest)"/>
    /// but a limit of its own: at most <paramref name="limit"/> bytes (413 citing <paramref name="whyLimit"/>).
    /// </summary>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, long limit, string whyLimit) where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentType is not { } contentType || !IsJson(contentType))
        {
            return (null, Problems.Status(
                StatusCodes.Status415UnsupportedMediaType,
                "Unsupported media type",
                $"Send the body as application/json (got {(request.ContentType is null ? "no Content-Type" : $"'{request.ContentType}'")})."));
        }

        if (request.ContentLength > limit)
        {
            return (null, TooLarge(limit, whyLimit));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return (null, TooLarge(limit, whyLimit));
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, Problems.Invalid("$", "a JSON object is required"));
        }

        var json = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (JsonShape.Check(json) is { } broken)
        {
            return (null, Problems.Invalid(broken.Path, broken.Rule));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(json, StrictFor(request.HttpContext.RequestServices));
            return value is null ? (null, Problems.Invalid("$", "a JSON object is required")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Problems.Invalid(PathOf(e), Describe(e)));
        }
    }

    private static ProblemHttpResult TooLarge(long limit, string why) => Problems.Status(
        StatusCodes.Status413PayloadTooLarge,
        "Request body too large",
        $"The body exceeds {limit} bytes ({why}).");

    private static bool IsJson(string contentType)
    {
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The camelCase path a deserialization failure names (a missing required member included).</summary>
    internal static string PathOf(JsonException e)
    {
        var path = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : e.Path.StartsWith("$.", StringComparison.Ordinal) ? e.Path[2..] : e.Path;
        if (MissingMember(e.Message) is { } missing)
        {
            path = path.Length == 0 ? missing : path + "." + missing;
        }

        return path.Length == 0 ? "$" : path;
    }

    /// <summary>What was wrong with a body, for people, without the parser's internals.</summary>
    internal static string Describe(JsonException e)
    {
        var message = e.Message;
        if (MissingMember(message) is not null)
        {
            return "is required";
        }

        if (message.Contains("doesn't allow setting null", StringComparison.Ordinal) || message.Contains("does not allow setting null", StringComparison.Ordinal)
            || message.Contains("doesn't allow getting null", StringComparison.Ordinal))
        {
            return "is required and must not be null";
        }
        if (message.StartsWith("Duplicate propert", StringComparison.Ordinal))
        {
            return "appears more than once; send each member once";
        }

        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return "unknown member; check its spelling against the API's OpenAPI document";
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return "has the wrong JSON type for this field (e.g. a string where a number is expected)";
        }

        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static string? MissingMember(string message)
    {
        const string Marker = "missing required properties including: '";
        var at = message.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var start = at + Marker.Length;
        var end = message.IndexOf('\'', start);
        return end > start ? message[start..end] : null;
    }

    private static void RequireNonNullableConstructorParameters(System.Text.Json.Serialization.Metadata.JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            if (property.AssociatedParameter is { HasDefaultValue: false, IsNullable: false, IsMemberInitializer: false })
            {
                property.IsRequired = true;
            }
        }
    }

    private static JsonSerializerOptions CreateStrict(int protocol)
    {
        var options = FederationJson.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        options.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
        options.AllowTrailingCommas = false;

        // A member sent twice means what the last copy says to this reader and maybe the first to another (a
        // signature checker, a log): refused, so that every reader of a body sees the same one.
        options.AllowDuplicateProperties = false;

        // The web defaults read "1" as 1; a peer or user sending a string where a number belongs is refused instead.
        options.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        options.RespectNullableAnnotations = true;

        // A constructor parameter without a default is required unless it is nullable: a peer that leaves out a
        // null (e.g. a dataset's terms without a disease term) sends the same message as one that writes it.
        // (RespectRequiredConstructorParameters would also require the nullable ones.)
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver())
            .WithAddedModifier(RequireNonNullableConstructorParameters)
            .WithAddedModifier(FederationJson.UpToProtocol(protocol));
        options.MaxDepth = JsonShape.MaxDepth + 1;
        return options;
    }
}
