using Microsoft.AspNetCore.Authorization;

namespace Federation.Silo.Auth;

/// <summary>Checks <see cref="CallerRule"/>s; a failed rule's description becomes the failure reason.</summary>
public sealed class CallerRuleHandler : AuthorizationHandler<CallerRule>
{
    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CallerRule requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        if (requirement.Allows(context.User, context.Resource as HttpContext))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, requirement.Description));
        }

        return Task.CompletedTask;
    }
}
