using System.Security.Claims;
using Federation.Silo.Options;
using Microsoft.AspNetCore.Authorization;

namespace Federation.Silo.Auth;

/// <summary>Authorization policies of the user API and the dashboard.</summary>
public static class Policies
{
    /// <summary>Reading the catalogue.</summary>
    public const string Read = "read";

    /// <summary>Writing the catalogue, admin actions, the dashboard.</summary>
    public const string Operate = "operate";

    /// <summary>Sending a node's heartbeat (operator, or that node's agent).</summary>
    public const string Heartbeat = "heartbeat";

    /// <summary>Adds the policies: open in embedded mode, token-protected in configured mode.</summary>
    public static void Configure(AuthorizationBuilder builder, FederationOptions options, bool secured)
    {
        if (!secured)
        {
            foreach (var name in new[] { Read, Operate, Heartbeat })
            {
                builder.AddPolicy(name, p => p.RequireAssertion(_ => true));
            }

            return;
        }

        builder.AddPolicy(Read, p =>
        {
            if (options.Auth.ReadsRequireToken)
            {
                p.RequireAuthenticatedUser();
            }
            else
            {
                p.RequireAssertion(_ => true);
            }
        });
        builder.AddPolicy(Operate, p => p.RequireAuthenticatedUser().RequireRole(TokenAuthenticationHandler.AdminRole));
        builder.AddPolicy(Heartbeat, p => p.RequireAuthenticatedUser().RequireAssertion(ctx =>
            ctx.User.IsInRole(TokenAuthenticationHandler.AdminRole)
            || (ctx.User.IsInRole(TokenAuthenticationHandler.NodeRole)
                && ctx.Resource is HttpContext http
                && http.Request.RouteValues.TryGetValue("id", out var id)
                && ctx.User.FindFirstValue(TokenAuthenticationHandler.NodeIdClaim) == id as string)));
    }
}
