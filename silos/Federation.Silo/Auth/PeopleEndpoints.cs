using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Auth.Grants;
using Federation.Silo.Auth.Tokens;
using Federation.Silo.Transparency;
using Federation.Transparency;

namespace Federation.Silo.Auth;

/// <summary>
/// API tokens (<c>/api/v1/tokens</c>: create, list, revoke; a caller's own, all for a nation admin)
/// and role grants (<c>/api/v1/roles</c>: list for admins and auditors; grant and revoke for admins,
/// and for a consortium's lead its membership).
/// </summary>
public static class PeopleEndpoints
{
    /// <summary>Rule of role grants.</summary>
    public const string GrantRule = "granting roles needs the nation-admin role; a consortium lead may grant and revoke membership (consortium-member) of the consortia it leads";

    /// <summary>Rule of listing role grants.</summary>
    public const string ListRule = "listing role grants needs the nation-admin or auditor role";

    /// <summary>Maps the endpoints.</summary>
    public static void MapPeopleEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithUserApiProblems();
        api.MapPost("/tokens", CreateTokenAsync).RequireAuthorization(Policies.Jobs).WithTags("People").WithName("CreateToken")
            .WithSummary("Create an API token for yourself, with some or all of your roles, expiring in 1 to 90 days; its secret is in this answer only.")
            .Accepts<TokenRequest>("application/json").Produces<TokenView>(StatusCodes.Status201Created).ProducesValidationProblem();
        api.MapGet("/tokens", ListTokensAsync).RequireAuthorization(Policies.Jobs).WithTags("People").WithName("ListTokens")
            .WithSummary("Your API tokens (never their secrets); ?all=true: every token of the nation (nation admin).").Produces<IReadOnlyList<TokenView>>();
        api.MapPost("/tokens/{id}:revoke", RevokeTokenAsync).RequireAuthorization(Policies.Jobs).WithTags("People").WithName("RevokeToken")
            .WithSummary("Revoke one of your API tokens (a nation admin: anyone's); at once and for good.")
            .Produces<TokenView>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/roles", ListGrantsAsync).RequireAuthorization(Policies.Jobs).WithTags("People").WithName("ListRoleGrants")
            .WithSummary("The roles this nation grants (besides its issuers' claims); ?role= filters.").Produces<IReadOnlyList<RoleGrant>>();
        api.MapPost("/roles:grant", GrantAsync).RequireAuthorization(Policies.Jobs).WithTags("People").WithName("GrantRole")
            .WithSummary("Grant a role to a subject (201; 200 when held already).")
            .Accepts<RoleGrantRequest>("application/json").Produces<RoleGrant>(StatusCodes.Status201Created).Produces<RoleGrant>().ProducesValidationProblem();
        api.MapPost("/roles:revoke", RevokeAsync).RequireAuthorization(Policies.Jobs).WithTags("People").WithName("RevokeRole")
            .WithSummary("Revoke a role from a subject (404 when not held).")
            .Accepts<RoleGrantRequest>("application/json").Produces(StatusCodes.Status204NoContent).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> CreateTokenAsync(HttpContext http, ApiTokens tokens, TransparencyRecorder recorder)
    {
        var (body, problem) = await JsonBody.ReadAsync<TokenRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var caller = Caller.Of(http);
        var held = caller.Open ? [Roles.NationAdmin] : ApiTokens.EntriesOf(http.User);
        var (secret, token, field, rule) = await tokens.CreateAsync(caller.Subject, held, body!.Name ?? "", body.Scopes, body.ExpiresInDays ?? 30, http.RequestAborted);
        if (token is null)
        {
            return Problems.Invalid(field!, rule!);
        }

        // A sign-in credential was made: one entry per token created, not per request it authenticates.
        await recorder.RecordAsync(TransparencyEntryKind.SignIn, subject: caller.Subject, detail: [new("method", "api-token-created"), new("token", token.Id)], cancellationToken: http.RequestAborted);
        return TypedResults.Created($"/api/v1/tokens/{token.Id}", TokenView.Of(token, secret));
    }

    private static async Task<IResult> ListTokensAsync(HttpContext http, IApiTokenStore store)
    {
        var caller = Caller.Of(http);
        var all = string.Equals(http.Request.Query["all"], "true", StringComparison.OrdinalIgnoreCase);
        if (all && !caller.Roles.Contains(Roles.NationAdmin))
        {
            return AuthForbidden("listing every token (?all=true) needs the nation-admin role");
        }

        return TypedResults.Ok((await store.ListAsync(all ? null : caller.Subject, http.RequestAborted)).Select(t => TokenView.Of(t)).ToList());
    }

    private static async Task<IResult> RevokeTokenAsync(string id, HttpContext http, IApiTokenStore store, TimeProvider time)
    {
        var caller = Caller.Of(http);
        var mine = (await store.ListAsync(caller.Roles.Contains(Roles.NationAdmin) ? null : caller.Subject, http.RequestAborted)).Any(t => t.Id == id);
        if (!mine)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "No such token", $"{caller.Subject} has no API token '{id}' (GET /api/v1/tokens lists yours)");
        }

        return TypedResults.Ok(TokenView.Of((await store.RevokeAsync(id, time.GetUtcNow(), http.RequestAborted))!));
    }

    private static async Task<IResult> ListGrantsAsync(HttpContext http, IRoleGrantStore grants)
    {
        var caller = Caller.Of(http);
        if (!caller.Roles.Contains(Roles.NationAdmin) && !caller.Roles.Contains(Roles.Auditor))
        {
            return AuthForbidden(ListRule);
        }

        var role = http.Request.Query["role"].ToString();
        if (role.Length > 0 && Roles.Check(role, Roles.IsScoped(role) ? "x" : null) is { } error)
        {
            return Problems.Invalid("role", error);
        }

        return TypedResults.Ok(await grants.ListAsync(role.Length == 0 ? null : role, http.RequestAborted));
    }

    private static async Task<IResult> GrantAsync(HttpContext http, IRoleGrantStore grants, TimeProvider time, TransparencyRecorder recorder)
    {
        var (grant, problem) = await ReadGrantAsync(http);
        if (problem is not null)
        {
            return problem;
        }

        var full = grant! with { GrantedBy = Caller.Of(http).Subject, GrantedAt = time.GetUtcNow() };
        if (await grants.GrantAsync(full, http.RequestAborted))
        {
            await RecordRoleChangeAsync(recorder, "grant", full.Subject, full.Role, full.Scope, full.GrantedBy, http.RequestAborted);
            return TypedResults.Created($"/api/v1/roles?role={full.Role}", full);
        }

        return TypedResults.Ok((await grants.ForSubjectAsync(full.Subject, http.RequestAborted)).First(g => g.Role == full.Role && g.Scope == full.Scope));
    }

    private static async Task<IResult> RevokeAsync(HttpContext http, IRoleGrantStore grants, TransparencyRecorder recorder)
    {
        var (grant, problem) = await ReadGrantAsync(http);
        if (problem is not null)
        {
            return problem;
        }

        if (await grants.RevokeAsync(grant!.Subject, grant.Role, grant.Scope, http.RequestAborted))
        {
            await RecordRoleChangeAsync(recorder, "revoke", grant.Subject, grant.Role, grant.Scope, Caller.Of(http).Subject, http.RequestAborted);
            return TypedResults.NoContent();
        }

        return Problems.Status(StatusCodes.Status404NotFound, "No such grant", $"{grant.Subject} holds no grant of {grant.Role}{(grant.Scope.Length > 0 ? $" for {grant.Scope}" : "")}");
    }

    // The person who holds the role is the entry's subject (kept as a digest); who changed it is detail "by", also as a digest.
    private static Task<LoggedEntry?> RecordRoleChangeAsync(TransparencyRecorder recorder, string action, string subject, string role, string scope, string by, CancellationToken cancellationToken) =>
        recorder.RecordAsync(
            TransparencyEntryKind.RoleChange,
            subject: subject,
            detail: [new("action", action), new("role", role), new("scope", scope), new("by", recorder.Digest(by))],
            cancellationToken: cancellationToken);

    // Who may grant is checked before the body is read, so a caller who may not grant learns nothing from validation answers.
    private static async Task<(RoleGrant? Grant, IResult? Problem)> ReadGrantAsync(HttpContext http)
    {
        var caller = Caller.Of(http);
        var admin = caller.Roles.Contains(Roles.NationAdmin);
        if (!admin && caller.Leads.Count == 0)
        {
            return (null, AuthForbidden(GrantRule));
        }

        var (body, problem) = await JsonBody.ReadAsync<RoleGrantRequest>(http.Request);
        if (problem is not null)
        {
            return (null, problem);
        }

        var errors = new ValidationErrors();
        var subject = body!.Subject?.Trim();
        if (string.IsNullOrEmpty(subject) || subject.Length > 300 || subject.Any(char.IsControl))
        {
            errors.Add("subject", "is required: the subject as '{issuer name}:{sub}', e.g. uni:alice (1 to 300 characters)");
        }

        var role = body.Role ?? "";
        var scope = string.IsNullOrEmpty(body.Scope) ? null : body.Scope;
        if (Roles.Check(role, scope) is { } error)
        {
            errors.Add(role.Length > 0 && Roles.People.Contains(role) ? "scope" : "role", error);
        }

        if (!errors.IsEmpty)
        {
            return (null, Problems.Invalid(errors));
        }

        if (!admin && !(role == Roles.ConsortiumMember && caller.Leads.Contains(scope!)))
        {
            return (null, AuthForbidden(GrantRule));
        }

        return (new RoleGrant(subject!, role, scope ?? "", "", default), null);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult AuthForbidden(string rule) =>
        Problems.Status(StatusCodes.Status403Forbidden, "Forbidden", rule, new Dictionary<string, object?> { ["rule"] = rule });
}
