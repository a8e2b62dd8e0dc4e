using System.CommandLine;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Jobs;
using Federation.Fedctl.Output;

namespace Federation.Fedctl;

/// <summary><c>fedctl token create|list|revoke</c>: your API tokens (POST/GET /api/v1/tokens, POST /api/v1/tokens/{id}:revoke).</summary>
public static class TokenCommands
{
    /// <summary>The columns of <c>token list</c>.</summary>
    public static IReadOnlyList<string> Headers { get; } = ["id", "name", "subject", "scopes", "expires", "revoked"];

    /// <summary>The <c>token</c> command.</summary>
    public static Command Build(FedctlContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = new Command("token", "Your API tokens: created for you with some or all of your roles, stored hashed by the nation, expiring, revocable.");

        var name = new Argument<string>("name") { Description = "a label for the token, such as laptop or ci" };
        var scopes = new Option<string[]>("--scope") { Description = "a role the token may use (role or role:scope, e.g. consortium-member:c1); repeat; default: all of yours", AllowMultipleArgumentsPerToken = false };
        var days = new Option<int?>("--days") { Description = "days until it expires, 1 to 90 (default 30)" };
        var create = new Command("create", "Create a token; its secret is printed once, on standard output, and never shown again.") { name, scopes, days };
        create.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var body = new JsonObject { ["name"] = parse.GetValue(name) };
            if (parse.GetValue(scopes) is { Length: > 0 } wanted)
            {
                body["scopes"] = new JsonArray([.. wanted.Select(s => (JsonNode?)JsonValue.Create(s))]);
            }

            if (parse.GetValue(days) is { } d)
            {
                body["expiresInDays"] = d;
            }

            var created = (await api.SendAsync(HttpMethod.Post, "api/v1/tokens", body, cancellationToken: ct)).Body as JsonObject
                ?? throw new FedctlException($"the silo at {api.BaseAddress} answered POST /api/v1/tokens without a token", ExitCodes.WrongEndpoint);
            if (context.Json(parse))
            {
                context.WriteJson(created);
                return ExitCodes.Ok;
            }

            output.WriteLine(JobText.Text(created["token"]));
            context.Error.WriteLine($"token {JobText.Text(created["id"])} ({JobText.Text(created["name"])}) expires {Timestamp.Format(created["expiresAt"])}; scopes: {Scopes(created)}. Keep it now: it is not shown again.");
            return ExitCodes.Ok;
        }, ct));

        var all = new Option<bool>("--all") { Description = "every token of the nation (nation admin)" };
        var list = new Command("list", "List your tokens (never their secrets).") { all };
        list.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var path = parse.GetValue(all) ? "api/v1/tokens?all=true" : "api/v1/tokens";
            var tokens = (await api.SendAsync(HttpMethod.Get, path, cancellationToken: ct)).Body as JsonArray
                ?? throw new FedctlException($"the silo at {api.BaseAddress} answered GET /{path} without a JSON list", ExitCodes.WrongEndpoint);
            if (context.Json(parse))
            {
                context.WriteJson(tokens);
                return ExitCodes.Ok;
            }

            TableWriter.Write(output, Headers, tokens.OfType<JsonObject>().Select(t => (IReadOnlyList<string>)
            [
                JobText.Text(t["id"]), JobText.Text(t["name"]), JobText.Text(t["subject"]), Scopes(t), Timestamp.Format(t["expiresAt"]),
                t["revokedAt"] is null ? "-" : Timestamp.Format(t["revokedAt"]),
            ]));
            return ExitCodes.Ok;
        }, ct));

        var id = new Argument<string>("id") { Description = "the token's id, tok-... (token list shows it)" };
        var revoke = new Command("revoke", "Revoke a token at once and for good.") { id };
        revoke.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var revoked = (await api.SendAsync(HttpMethod.Post, $"api/v1/tokens/{Uri.EscapeDataString(parse.GetValue(id)!)}:revoke", cancellationToken: ct)).Body;
            if (context.Json(parse))
            {
                context.WriteJson(revoked);
                return ExitCodes.Ok;
            }

            output.WriteLine($"revoked {JobText.Text(revoked?["id"])} ({JobText.Text(revoked?["name"])})");
            return ExitCodes.Ok;
        }, ct));

        token.Subcommands.Add(create);
        token.Subcommands.Add(list);
        token.Subcommands.Add(revoke);
        return token;
    }

    private static string Scopes(JsonObject token) =>
        token["scopes"] is JsonArray scopes && scopes.Count > 0 ? string.Join(",", scopes.Select(s => JobText.Text(s))) : "-";
}
