using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Federation.Silo.Auth;

/// <summary>Answers a refused authorization with 403 problem+json naming the rule the caller does not meet.</summary>
public sealed class RuleAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    /// <inheritdoc />
    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated == true)
        {
            var rules = authorizeResult.AuthorizationFailure?.FailureReasons.Select(r => r.Message).Distinct().ToList() ?? [];
            return AuthProblems.ForbiddenAsync(context, rules.Count > 0 ? string.Join("; ", rules) : "Your identity does not allow this.");
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
