using System.CommandLine;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Jobs;
using Federation.Fedctl.Output;

namespace Federation.Fedctl;

/// <summary>
/// <c>fedctl grants request|approve|revoke|list</c>: data-access grants of a nation's controlled
/// datasets (/api/v1/datasets/{id}/grants/requests, /api/v1/grants). Anyone who may submit jobs
/// requests; the nation admin, as the data access committee, approves and revokes.
/// </summary>
public static class GrantCommands
{
    /// <summary>The columns of <c>grants list</c>.</summary>
    public static IReadOnlyList<string> Headers { get; } = ["id", "dataset", "grantee", "nation", "purpose", "status", "expires"];

    /// <summary>The <c>grants</c> command.</summary>
    public static Command Build(FedctlContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var grants = new Command("grants", "Data-access grants of controlled datasets (access.requiresGrant): request, approve, revoke, list.");
        grants.Subcommands.Add(Request(context));
        grants.Subcommands.Add(Approve(context));
        grants.Subcommands.Add(Revoke(context));
        grants.Subcommands.Add(List(context));
        return grants;
    }

    private static Command Request(FedctlContext context)
    {
        var dataset = new Argument<string>("dataset") { Description = "the controlled dataset's id in the nation asked" };
        var purpose = new Option<string>("--purpose") { Description = "the DUO purpose: GRU, HMB, DS, POA or CC", Required = true };
        var disease = new Option<string>("--disease-term") { Description = "for DS: the disease term, e.g. MONDO:0004992" };
        var user = new Option<string>("--user") { Description = "the user to be granted (default: you; another needs the nation-admin role)" };
        var consortium = new Option<string>("--consortium") { Description = "grant a consortium you belong to instead of a user" };
        var nation = new Option<string>("--nation") { Description = "the nation that vouches for the user (default: the nation asked; another needs the nation-admin role)" };
        var justification = new Option<string>("--justification") { Description = "why the data is needed" };
        var command = new Command("request", "Ask the dataset's data access committee for access.") { dataset, purpose, disease, user, consortium, nation, justification };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var body = new JsonObject
            {
                ["purpose"] = parse.GetValue(purpose),
                ["diseaseTerm"] = parse.GetValue(disease),
                ["user"] = parse.GetValue(user),
                ["consortium"] = parse.GetValue(consortium),
                ["nation"] = parse.GetValue(nation),
                ["justification"] = parse.GetValue(justification),
            };
            var path = $"api/v1/datasets/{Uri.EscapeDataString(parse.GetValue(dataset)!)}/grants/requests";
            var answer = await api.SendAsync(HttpMethod.Post, path, body, cancellationToken: ct);
            return Write(context, parse, output, answer.Body, g => $"requested {JobText.Text(g["id"])} for {Grantee(g)} on {JobText.Text(g["dataset"])} ({JobText.Text(g["purpose"])}); the nation admin approves it");
        }, ct));
        return command;
    }

    private static Command Approve(FedctlContext context)
    {
        var id = new Argument<string>("grant") { Description = "the grant's id (dag-...)" };
        var days = new Option<int?>("--days") { Description = "how long it holds, 1 to 1825 days (default 365)" };
        var command = new Command("approve", "Approve a requested grant, signed with the data access committee's key (nation admin).") { id, days };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var body = new JsonObject { ["validDays"] = parse.GetValue(days) };
            var answer = await api.SendAsync(HttpMethod.Post, $"api/v1/grants/{Uri.EscapeDataString(parse.GetValue(id)!)}:approve", body, cancellationToken: ct);
            return Write(context, parse, output, answer.Body, g => $"approved {JobText.Text(g["id"])} for {Grantee(g)} on {JobText.Text(g["dataset"])} until {Timestamp.Format(g["expiresAt"])}");
        }, ct));
        return command;
    }

    private static Command Revoke(FedctlContext context)
    {
        var id = new Argument<string>("grant") { Description = "the grant's id (dag-...)" };
        var reason = new Option<string>("--reason") { Description = "why (kept in the transparency log)" };
        var command = new Command("revoke", "Revoke a grant or turn down a request (nation admin); jobs are refused from then on.") { id, reason };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var body = new JsonObject { ["reason"] = parse.GetValue(reason) };
            var answer = await api.SendAsync(HttpMethod.Post, $"api/v1/grants/{Uri.EscapeDataString(parse.GetValue(id)!)}:revoke", body, cancellationToken: ct);
            return Write(context, parse, output, answer.Body, g => $"revoked {JobText.Text(g["id"])} for {Grantee(g)} on {JobText.Text(g["dataset"])}");
        }, ct));
        return command;
    }

    private static Command List(FedctlContext context)
    {
        var dataset = new Option<string>("--dataset") { Description = "only grants of this dataset" };
        var command = new Command("list", "List the grants that name you or your consortia (nation admins and auditors: all).") { dataset };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var path = parse.GetValue(dataset) is { } d ? $"api/v1/grants?dataset={Uri.EscapeDataString(d)}" : "api/v1/grants";
            var grants = (await api.SendAsync(HttpMethod.Get, path, cancellationToken: ct)).Body as JsonArray
                ?? throw new FedctlException($"the silo at {api.BaseAddress} answered GET /{path} without a JSON list", ExitCodes.WrongEndpoint);
            if (context.Json(parse))
            {
                context.WriteJson(grants);
                return ExitCodes.Ok;
            }

            TableWriter.Write(output, Headers, grants.OfType<JsonObject>().Select(g => (IReadOnlyList<string>)
            [
                JobText.Text(g["id"]), JobText.Text(g["dataset"]), Grantee(g), JobText.Text(g["nation"]),
                JobText.Text(g["purpose"]) + (g["diseaseTerm"] is { } term ? $" {JobText.Text(term)}" : ""),
                JobText.Text(g["status"]), g["expiresAt"] is null ? "-" : Timestamp.Format(g["expiresAt"]),
            ]));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static int Write(FedctlContext context, ParseResult parse, TextWriter output, JsonNode? body, Func<JsonObject, string> line)
    {
        if (context.Json(parse))
        {
            context.WriteJson(body);
            return ExitCodes.Ok;
        }

        var grant = body as JsonObject ?? throw new FedctlException("the silo answered without a grant", ExitCodes.WrongEndpoint);
        output.WriteLine(line(grant));
        return ExitCodes.Ok;
    }

    private static string Grantee(JsonObject grant) =>
        grant["consortium"] is { } consortium ? $"consortium {JobText.Text(consortium)}" : $"user {JobText.Text(grant["user"])}";
}
