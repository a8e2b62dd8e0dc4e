using Federation.Contracts.Results;

namespace Federation.Silo.Api;

/// <summary>Maps grain command outcomes to HTTP responses, one status per outcome.</summary>
public static class CommandResults
{
    /// <summary>201 (with Location), 200, 404, 412, 409 or 400, carrying the ETag of the resulting version.</summary>
    public static IResult ToHttp<T>(CommandResult<T> result, HttpContext http, Func<T, int> version, Func<T, string>? location = null, bool deleted = false)
        where T : class
    {
        if (result.Value is { } value && result.Succeeded && !deleted)
        {
            http.Response.Headers.ETag = Versioning.ETag(version(value));
        }

        return result.Status switch
        {
            CommandStatus.Created => TypedResults.Created(location?.Invoke(result.Value!), result.Value),
            CommandStatus.Ok or CommandStatus.Unchanged => deleted ? TypedResults.NoContent() : TypedResults.Ok(result.Value),
            CommandStatus.NotFound => Problems.Status(StatusCodes.Status404NotFound, "Not found", result.Reason!),
            CommandStatus.VersionMismatch => Problems.Status(StatusCodes.Status412PreconditionFailed, "Version mismatch", result.Reason!, CurrentVersion(result, version)),
            CommandStatus.Conflict => Problems.Status(StatusCodes.Status409Conflict, "Conflict", result.Reason!, CurrentVersion(result, version)),
            _ => Problems.Invalid(result.Field ?? "$", result.Reason!),
        };
    }

    private static Dictionary<string, object?>? CurrentVersion<T>(CommandResult<T> result, Func<T, int> version) where T : class =>
        result.Value is { } v ? new Dictionary<string, object?> { ["currentVersion"] = version(v) } : null;
}
