using System.CommandLine;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Jobs;
using Federation.Fedctl.Output;

namespace Federation.Fedctl;

/// <summary><c>fedctl roles grant|revoke|list</c>: the roles a nation grants besides its issuers' claims (/api/v1/roles).</summary>
public static class RoleCommands
{
    /// <summary>The columns of <c>roles list</c>.</summary>
    public static IReadOnlyList<string> Headers { get; } = ["subject", "role", "scope", "granted by", "granted at"];

    /// <summary>The <c>roles</c> command.</summary>
    public static Command Build(FedctlContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var roles = new Command("roles", "Role grants kept by the nation: nation-admin, operator, consortium-member, consortium-lead, auditor, platform-staff, student.");
        roles.Subcommands.Add(Change(context, "grant", "Grant a role to a subject ({issuer}:{sub}, e.g. uni:alice); a consortium lead may grant membership of its consortium."));
        roles.Subcommands.Add(Change(context, "revoke", "Revoke a role from a subject."));

        var role = new Option<string>("--role") { Description = "only grants of this role" };
        var list = new Command("list", "List the nation's role grants (nation admin, auditor).") { role };
        list.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var path = parse.GetValue(role) is { } r ? $"api/v1/roles?role={Uri.EscapeDataString(r)}" : "api/v1/roles";
            var grants = (await api.SendAsync(HttpMethod.Get, path, cancellationToken: ct)).Body as JsonArray
                ?? throw new FedctlException($"the silo at {api.BaseAddress} answered GET /{path} without a JSON list", ExitCodes.WrongEndpoint);
            if (context.Json(parse))
            {
                context.WriteJson(grants);
                return ExitCodes.Ok;
            }

            TableWriter.Write(output, Headers, grants.OfType<JsonObject>().Select(g => (IReadOnlyList<string>)
            [
                JobText.Text(g["subject"]), JobText.Text(g["role"]), JobText.OrDash(g["scope"] is JsonValue v && v.GetValue<string>().Length == 0 ? null : g["scope"]),
                JobText.Text(g["grantedBy"]), Timestamp.Format(g["grantedAt"]),
            ]));
            return ExitCodes.Ok;
        }, ct));
        roles.Subcommands.Add(list);
        return roles;
    }

    private static Command Change(FedctlContext context, string verb, string description)
    {
        var subject = new Argument<string>("subject") { Description = "who: {issuer name}:{sub}, e.g. uni:alice" };
        var role = new Argument<string>("role") { Description = "the role" };
        var scope = new Option<string>("--scope") { Description = "the consortium or course of consortium-member, consortium-lead or student" };
        var command = new Command(verb, description) { subject, role, scope };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var body = new JsonObject { ["subject"] = parse.GetValue(subject), ["role"] = parse.GetValue(role), ["scope"] = parse.GetValue(scope) };
            var answer = await api.SendAsync(HttpMethod.Post, $"api/v1/roles:{verb}", body, cancellationToken: ct);
            if (context.Json(parse))
            {
                context.WriteJson(answer.Body);
                return ExitCodes.Ok;
            }

            var what = $"{parse.GetValue(role)}{(parse.GetValue(scope) is { } s ? $" for {s}" : "")}";
            output.WriteLine(verb == "grant"
                ? $"{parse.GetValue(subject)} holds {what}{(answer.Status == System.Net.HttpStatusCode.OK ? " (already)" : "")}"
                : $"{parse.GetValue(subject)} no longer holds {what}");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
