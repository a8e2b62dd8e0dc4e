using System.Security.Claims;
using Federation.Silo.Options;
using Microsoft.AspNetCore.Authorization;

namespace Federation.Silo.Auth;

/// <summary>
/// Authorization policies of the user API and the dashboard. Rules that depend on a job (owner,
/// consortium) are checked by the job endpoints themselves (<see cref="JobAccess"/>).
/// </summary>
public static class Policies
{
    /// <summary>Reading the catalogue and planning routes.</summary>
    public const string Read = "read";

    /// <summary>Writing the catalogue, nodes, admin actions.</summary>
    public const string Operate = "operate";

    /// <summary>Sending a node's heartbeat (operator, or that node's agent).</summary>
    public const string Heartbeat = "heartbeat";

    /// <summary>The Orleans dashboard (and the overview): platform staff or nation admin.</summary>
    public const string Dashboard = "dashboard";

    /// <summary>Submitting jobs: a person who may run work here.</summary>
    public const string Submit = "submit";

    /// <summary>Reading and acting on jobs: any authenticated person; which jobs, the endpoint decides.</summary>
    public const string Jobs = "jobs";

    /// <summary>Managing role grants and others' tokens: nation admin.</summary>
    public const string Admin = "admin";

    /// <summary>Reading the transparency log, its heads and proofs: auditor or nation admin.</summary>
    public const string Audit = "audit";

    /// <summary>Rule of <see cref="Audit"/>.</summary>
    public const string AuditRule = "the transparency log's entries, heads and proofs need the auditor or nation-admin role";

    /// <summary>Rule of <see cref="Operate"/>.</summary>
    public const string OperateRule = "catalogue writes, node administration and runs' files need the nation-admin or operator role";

    /// <summary>Rule of <see cref="Dashboard"/>.</summary>
    public const string DashboardRule = "the dashboard needs the platform-staff or nation-admin role";

    /// <summary>Rule of <see cref="Submit"/>.</summary>
    public const string SubmitRule = "submitting jobs needs the nation-admin, operator, consortium-member, consortium-lead or student role";

    /// <summary>Rule of <see cref="Admin"/>.</summary>
    public const string AdminRule = "managing roles needs the nation-admin role";

    /// <summary>Rule of <see cref="Heartbeat"/>.</summary>
    public const string HeartbeatRule = "a heartbeat needs the operator or nation-admin role, or the node agent token of that node";

    /// <summary>Rule of <see cref="Jobs"/>.</summary>
    public const string JobsRule = "jobs are for people: a node agent's token may not read them";

    /// <summary>Adds the policies: open in embedded mode on loopback, authenticated otherwise.</summary>
    public static void Configure(AuthorizationBuilder builder, FederationOptions options, bool secured)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        if (!secured)
        {
            foreach (var name in new[] { Read, Operate, Heartbeat, Dashboard, Submit, Jobs, Admin, Audit })
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
        builder.AddPolicy(Operate, p => p.RequireAuthenticatedUser().AddRequirements(AnyRole(OperateRule, Roles.NationAdmin, Roles.Operator)));
        builder.AddPolicy(Dashboard, p => p.RequireAuthenticatedUser().AddRequirements(AnyRole(DashboardRule, Roles.NationAdmin, Roles.PlatformStaff)));
        builder.AddPolicy(Submit, p => p.RequireAuthenticatedUser().AddRequirements(
            AnyRole(SubmitRule, Roles.NationAdmin, Roles.Operator, Roles.ConsortiumMember, Roles.ConsortiumLead, Roles.Student)));
        builder.AddPolicy(Jobs, p => p.RequireAuthenticatedUser().AddRequirements(new CallerRule(JobsRule, (user, _) => !user.IsInRole(Roles.Node))));
        builder.AddPolicy(Admin, p => p.RequireAuthenticatedUser().AddRequirements(AnyRole(AdminRule, Roles.NationAdmin)));
        builder.AddPolicy(Audit, p => p.RequireAuthenticatedUser().AddRequirements(AnyRole(AuditRule, Roles.Auditor, Roles.NationAdmin)));
        builder.AddPolicy(Heartbeat, p => p.RequireAuthenticatedUser().AddRequirements(new CallerRule(HeartbeatRule, (user, http) =>
            user.IsInRole(Roles.NationAdmin) || user.IsInRole(Roles.Operator)
            || (user.IsInRole(Roles.Node)
                && http is not null
                && http.Request.RouteValues.TryGetValue("id", out var id)
                && user.FindFirstValue(TokenAuthenticationHandler.NodeIdClaim) == id as string))));
    }

    private static CallerRule AnyRole(string rule, params string[] roles) => new(rule, (user, _) => roles.Any(user.IsInRole));
}
