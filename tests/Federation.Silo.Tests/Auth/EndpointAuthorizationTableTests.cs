using System.Text;
using Federation.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests.Auth;

/// <summary>
/// Endpoint x role -> expected status, built from the app's own endpoint list: every endpoint must
/// have a rule in <see cref="s_rules"/> (a new endpoint without one fails), and every role is tried
/// on every endpoint of the user API.
/// </summary>
public sealed class EndpointAuthorizationTableTests : IAsyncLifetime
{
    private enum Rule
    {
        Public,
        Read,
        Operate,
        Heartbeat,
        Dashboard,
        Submit,
        Jobs,
        Admin,
        RolesRead,
        Grant,
        Audit,
        PeersOnly,
    }

    private static readonly Dictionary<string, Rule> s_rules = new(StringComparer.Ordinal)
    {
        ["GET /"] = Rule.Public,
        ["GET /openapi/{documentName}.json"] = Rule.Public,
        ["GET /health/live"] = Rule.Public,
        ["GET /health/ready"] = Rule.Public,
        ["GET /metrics"] = Rule.Dashboard,
        ["GET /overview/"] = Rule.Dashboard,
        ["GET /overview/events"] = Rule.Dashboard,
        ["GET /overview/live.js"] = Rule.Dashboard,
        ["GET /overview/overview.css"] = Rule.Dashboard,
        ["GET /api/v1/nation"] = Rule.Read,
        ["PUT /api/v1/nation"] = Rule.Operate,
        ["GET /api/v1/nation/drain"] = Rule.Operate,
        ["POST /api/v1/nation:drain"] = Rule.Operate,
        ["GET /api/v1/reference/accelerators"] = Rule.Read,
        ["GET /api/v1/reference/grid-intensity"] = Rule.Read,
        ["POST /api/v1/admin/read-model:rebuild"] = Rule.Operate,
        ["GET /api/v1/datasets/"] = Rule.Read,
        ["POST /api/v1/datasets/"] = Rule.Operate,
        ["GET /api/v1/datasets/{id}"] = Rule.Read,
        ["PUT /api/v1/datasets/{id}"] = Rule.Operate,
        ["POST /api/v1/datasets/{id}:withdraw"] = Rule.Operate,
        ["DELETE /api/v1/datasets/{id}"] = Rule.Operate,
        ["GET /api/v1/nodes/"] = Rule.Read,
        ["POST /api/v1/nodes/"] = Rule.Operate,
        ["GET /api/v1/nodes/{id}"] = Rule.Read,
        ["PUT /api/v1/nodes/{id}"] = Rule.Operate,
        ["POST /api/v1/nodes/{id}/heartbeat"] = Rule.Heartbeat,
        ["POST /api/v1/nodes/{id}:drain"] = Rule.Operate,
        ["DELETE /api/v1/nodes/{id}"] = Rule.Operate,
        ["GET /api/v1/models/"] = Rule.Read,
        ["POST /api/v1/models/"] = Rule.Operate,
        ["GET /api/v1/models/{name}/versions/{version}"] = Rule.Read,
        ["PUT /api/v1/models/{name}/versions/{version}"] = Rule.Operate,
        ["POST /api/v1/models/{name}/versions/{version}:withdraw"] = Rule.Operate,
        ["DELETE /api/v1/models/{name}/versions/{version}"] = Rule.Operate,
        ["PUT /api/v1/models/{name}/versions/{version}/artifact"] = Rule.Operate,
        ["GET /api/v1/models/{name}/versions/{version}/artifact"] = Rule.Read,
        ["GET /api/v1/models/{name}/versions/{version}/lineage"] = Rule.Read,
        ["POST /api/v1/models/{name}/versions/{version}:pull"] = Rule.Operate,
        ["POST /api/v1/models/{name}/versions/{version}:evaluate"] = Rule.Operate,
        ["GET /api/v1/models/{name}/versions/{version}/evaluations"] = Rule.Read,
        ["POST /api/v1/models/{name}/versions/{version}/evaluations"] = Rule.Operate,
        ["GET /api/v1/models/{name}/versions/{version}/verify"] = Rule.Read,
        ["GET /api/v1/models/{name}/versions/{version}/card"] = Rule.Read,
        ["GET /api/v1/leaderboards/{nation}/{dataset}"] = Rule.Read,
        ["GET /api/v1/peers"] = Rule.Read,
        ["GET /api/v1/federated/models"] = Rule.Read,
        ["GET /api/v1/federated/datasets"] = Rule.Read,
        ["POST /api/v1/routes:plan"] = Rule.Read,
        ["POST /api/v1/jobs/"] = Rule.Submit,
        ["POST /api/v1/jobs:batch"] = Rule.Submit,
        ["GET /api/v1/jobs/"] = Rule.Jobs,
        ["GET /api/v1/jobs/{id}"] = Rule.Jobs,
        ["GET /api/v1/jobs/{id}/decision"] = Rule.Jobs,
        ["GET /api/v1/jobs/{id}/transfers"] = Rule.Jobs,
        ["POST /api/v1/jobs/{id}:cancel"] = Rule.Jobs,
        ["GET /api/v1/jobs/{id}/events"] = Rule.Jobs,
        ["GET /api/v1/jobs/{id}/logs/{stream}"] = Rule.Jobs,
        ["GET /api/v1/jobs/{id}/outputs"] = Rule.Jobs,
        ["GET /api/v1/jobs/{id}/outputs/{**name}"] = Rule.Jobs,
        ["GET /api/v1/executions/{origin}/{id}/{epoch:int}"] = Rule.Jobs,
        ["GET /api/v1/executions/{origin}/{id}/{epoch:int}/logs/{stream}"] = Rule.Operate,
        ["GET /api/v1/executions/{origin}/{id}/{epoch:int}/outputs"] = Rule.Operate,
        ["GET /api/v1/executions/{origin}/{id}/{epoch:int}/outputs/{**name}"] = Rule.Operate,
        ["POST /api/v1/tokens"] = Rule.Jobs,
        ["GET /api/v1/tokens"] = Rule.Jobs,
        ["POST /api/v1/tokens/{id}:revoke"] = Rule.Jobs,
        ["GET /api/v1/roles"] = Rule.RolesRead,
        ["POST /api/v1/roles:grant"] = Rule.Grant,
        ["POST /api/v1/roles:revoke"] = Rule.Grant,
        ["POST /api/v1/datasets/{id}/grants/requests"] = Rule.Submit,
        ["GET /api/v1/grants"] = Rule.Jobs,
        ["POST /api/v1/grants/{id}:approve"] = Rule.Admin,
        ["POST /api/v1/grants/{id}:revoke"] = Rule.Admin,
        ["GET /api/v1/audit/entries"] = Rule.Audit,
        ["GET /api/v1/audit/heads"] = Rule.Audit,
        ["GET /api/v1/audit/heads/latest"] = Rule.Audit,
        ["GET /api/v1/audit/proofs/inclusion"] = Rule.Audit,
        ["GET /api/v1/audit/proofs/consistency"] = Rule.Audit,
        ["POST /api/v1/audit/verify"] = Rule.Audit,
        ["GET /api/v1/roster/"] = Rule.Read,
        ["GET /api/v1/shares/"] = Rule.Read,
        ["GET /api/v1/courses/"] = Rule.Read,
        ["POST /api/v1/courses/"] = Rule.Operate,
        ["DELETE /api/v1/courses/{id}"] = Rule.Operate,
        ["POST /api/v1/roster/versions"] = Rule.Admin,
        ["GET /api/v1/audit/peers"] = Rule.Audit,
        ["GET /api/v1/audit/peers/{nation}/prove"] = Rule.Audit,
    };

    // Role -> the rules it passes (besides Public and Read, which everyone passes).
    private static readonly Dictionary<string, Rule[]> s_allowed = new(StringComparer.Ordinal)
    {
        ["anonymous"] = [],
        ["nation-admin"] = [Rule.Operate, Rule.Heartbeat, Rule.Dashboard, Rule.Submit, Rule.Jobs, Rule.Admin, Rule.RolesRead, Rule.Grant, Rule.Audit],
        ["operator"] = [Rule.Operate, Rule.Heartbeat, Rule.Submit, Rule.Jobs],
        ["consortium-member"] = [Rule.Submit, Rule.Jobs],
        ["consortium-lead"] = [Rule.Submit, Rule.Jobs, Rule.Grant],
        ["auditor"] = [Rule.Jobs, Rule.RolesRead, Rule.Audit],
        ["platform-staff"] = [Rule.Dashboard, Rule.Jobs],
        ["student"] = [Rule.Submit, Rule.Jobs],
        ["node"] = [],
    };

    private SecuredNation _nation = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _nation = await SecuredNation.StartAsync();

    public async ValueTask DisposeAsync() => await _nation.DisposeAsync();

    private static Rule? RuleOf(string method, string pattern) =>
        s_rules.TryGetValue($"{method} {pattern}", out var rule) ? rule
        : pattern.StartsWith("/dashboard", StringComparison.Ordinal) ? Rule.Dashboard
        : pattern.StartsWith("/federation/", StringComparison.Ordinal) ? Rule.PeersOnly
        : null;

    private string? TokenOf(string role) => role switch
    {
        "anonymous" => null,
        "nation-admin" => _nation.UniToken("ada", groups: ["hpc-admins"]),
        "operator" => _nation.UniToken("otto", groups: ["hpc-ops"]),
        "consortium-member" => _nation.UniToken("mia", consortia: ["c1"]),
        "consortium-lead" => _nation.UniToken("lea", leads: ["c1"]),
        "auditor" => _nation.UniToken("aud", groups: ["audit"]),
        "platform-staff" => _nation.UniToken("pat", groups: ["platform"]),
        "student" => _nation.UniToken("stu", courses: ["ml-101"]),
        "node" => SiloUnderTest.NodeToken,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "no token for this role"),
    };

    private static string Fill(string pattern) => pattern
        .Replace("{id}", "t-missing", StringComparison.Ordinal)
        .Replace("{origin}", "FR", StringComparison.Ordinal)
        .Replace("{nation}", "SE", StringComparison.Ordinal)
        .Replace("{epoch:int}", "1", StringComparison.Ordinal)
        .Replace("{page:int}", "1", StringComparison.Ordinal)
        .Replace("{stream}", "stdout", StringComparison.Ordinal)
        .Replace("{**name}", "a.txt", StringComparison.Ordinal)
        .Replace("{name}", "m-missing", StringComparison.Ordinal)
        .Replace("{version}", "1", StringComparison.Ordinal)
        .Replace("{documentName}", "v1", StringComparison.Ordinal)
        .Replace("{**path}", "", StringComparison.Ordinal);

    [Fact]
    public async Task EveryEndpoint_EveryRole_GetsTheStatusItsRuleSays()
    {
        var endpoints = _nation.Silo.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Pattern: e.RoutePattern.RawText ?? "")))
            .Distinct()
            .ToList();
        var unruled = endpoints.Where(e => RuleOf(e.Method, e.Pattern) is null).Select(e => $"[\"{e.Method} {e.Pattern}\"] = Rule.?").ToList();
        Assert.True(unruled.Count == 0, $"endpoints without an authorization rule in this table (add one):\n{string.Join('\n', unruled)}");
        Assert.Contains(endpoints, e => RuleOf(e.Method, e.Pattern) == Rule.Dashboard);

        var wrong = new List<string>();
        var tried = 0;
        foreach (var (role, allowed) in s_allowed)
        {
            using var client = _nation.Client(TokenOf(role));
            foreach (var (method, pattern) in endpoints.Where(e => RuleOf(e.Method, e.Pattern) != Rule.PeersOnly && !e.Pattern.Contains("{**path}", StringComparison.Ordinal)))
            {
                var rule = RuleOf(method, pattern)!.Value;
                using var request = new HttpRequestMessage(new HttpMethod(method), Fill(pattern));
                if (method is "POST" or "PUT")
                {
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                }

                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
                var status = (int)response.StatusCode;
                var expected = rule is Rule.Public or Rule.Read || allowed.Contains(rule) ? "allowed"
                    : role == "anonymous" ? "401"
                    : "403";
                var actual = status switch { 401 => "401", 403 => "403", _ => "allowed" };
                tried++;
                if (actual != expected)
                {
                    wrong.Add($"{role,-18} {method,-6} {pattern}: rule {rule}, expected {expected}, got {status}");
                }
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {tried} endpoint x role answers break the table:\n{string.Join('\n', wrong)}");
    }
}
