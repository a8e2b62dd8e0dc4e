namespace Federation.Silo.Auth;

/// <summary>The 401 and 403 answers of the user API, as problem+json.</summary>
public static class AuthProblems
{
    /// <summary>Writes a 401 with the check that failed (<c>issuer</c>, <c>audience</c>, <c>signature</c>, <c>expiry</c>, <c>token</c>) in <c>check</c>.</summary>
    public static Task UnauthorizedAsync(HttpContext http, string detail, string? check)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = http.Request.Path.StartsWithSegments("/dashboard")
            ? "Basic realm=\"federation dashboard\", charset=\"UTF-8\""
            : "Bearer realm=\"federation\"";
        return WriteAsync(http, StatusCodes.Status401Unauthorized, "Authentication required", detail, check is null ? null : ("check", check));
    }

    /// <summary>Writes a 403 naming the rule the caller does not meet (in <c>detail</c> and <c>rule</c>).</summary>
    public static Task ForbiddenAsync(HttpContext http, string rule)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        return WriteAsync(http, StatusCodes.Status403Forbidden, "Forbidden", rule, ("rule", rule));
    }

    private static Task WriteAsync(HttpContext http, int status, string title, string detail, (string Key, string Value)? extension)
    {
        var context = new ProblemDetailsContext { HttpContext = http, ProblemDetails = { Status = status, Title = title, Detail = detail } };
        if (extension is { } e)
        {
            context.ProblemDetails.Extensions[e.Key] = e.Value;
        }

        return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(context).AsTask();
    }
}
