using Microsoft.AspNetCore.Http.HttpResults;

namespace Federation.Silo.Auth.Audit;

/// <summary>
/// A 403 for a person refused by a rule over a job or a resource: the problem names the rule, and the
/// refusal goes into the transparency log (kind refusal, the rule's name, the caller as subject).
/// </summary>
public static class AccessRefusals
{
    /// <summary>Records the refusal of <paramref name="action"/> on <paramref name="job"/> by <paramref name="ruleName"/> and answers 403 with <paramref name="rule"/>.</summary>
    public static async Task<ProblemHttpResult> ForbiddenAsync(HttpContext http, string ruleName, string rule, string action, string? job = null, string? field = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        var caller = Caller.Of(http);
        await http.RequestServices.GetRequiredService<AuthAudit>().RefusedAsync(caller.Subject, ruleName, action, job, ct: http.RequestAborted);
        var extensions = new Dictionary<string, object?> { ["rule"] = rule, ["ruleName"] = ruleName };
        if (field is not null)
        {
            extensions["field"] = field;
        }

        return Api.Problems.Status(StatusCodes.Status403Forbidden, "Forbidden", rule, extensions);
    }
}
