using Microsoft.AspNetCore.Http.HttpResults;

namespace Federation.Silo.Api;

/// <summary>problem+json responses (RFC 9457) with the wording used across the API.</summary>
public static class Problems
{
    /// <summary>400 naming every field and rule.</summary>
    public static ProblemHttpResult Invalid(ValidationErrors errors) =>
        TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ValidationProblemDetails(errors.ToDictionary())
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is invalid",
            Detail = errors.Summary(),
            Type = "https://federation.example/problems/validation",
        });

    /// <summary>400 for one field.</summary>
    public static ProblemHttpResult Invalid(string field, string rule)
    {
        var errors = new ValidationErrors();
        errors.Add(field, rule);
        return Invalid(errors);
    }

    /// <summary>A problem with a status, title and detail.</summary>
    public static ProblemHttpResult Status(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
}
