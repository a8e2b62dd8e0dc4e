using System.CommandLine;
using System.Text.Json.Nodes;
using Federation.Contracts.Ids;
using Federation.Fedctl.Agent;

namespace Federation.Fedctl;

/// <summary><c>fedctl node drain|undrain|agent</c>: operating one GPU node.</summary>
public static class NodeCommands
{
    /// <summary>The <c>node</c> command.</summary>
    public static Command Build(FedctlContext context)
    {
        var node = new Command("node", "Operate one GPU node: drain it, or run its agent on the GPU host.");
        node.Subcommands.Add(Drain(context, "drain", true, "Stop giving the node new work."));
        node.Subcommands.Add(Drain(context, "undrain", false, "Give the node work again."));
        node.Subcommands.Add(Agent(context));
        return node;
    }

    private static Command Agent(FedctlContext context)
    {
        var id = new Option<string>("--id") { Description = "this node's id", Required = true };
        var site = new Option<string>("--site") { Description = "data centre or site (with --register)" };
        var accelerator = new Option<string>("--accelerator") { Description = "accelerator slug, such as h100-sxm (with --register)" };
        var count = new Option<int?>("--count") { Description = "number of accelerators (with --register)" };
        var memory = new Option<double?>("--memory-gb") { Description = "memory per accelerator; default: the accelerator table's" };
        var lease = new Option<double>("--lease-seconds") { Description = "how long one heartbeat keeps the node up", DefaultValueFactory = _ => 30 };
        var interval = new Option<double?>("--interval") { Description = "seconds between heartbeats; default: a third of the lease" };
        var register = new Option<bool>("--register") { Description = "register or update the node first (needs an operator token)" };
        var command = new Command("agent", "Run on a GPU host: register the node, send heartbeats and power draw, reconnect by itself after a silo restart. Against an open (embedded) nation no token is needed; a configured nation needs the node's token or an operator token.");
        foreach (var option in new Option[] { id, site, accelerator, count, memory, lease, interval, register })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            try
            {
                // No token is fine: an embedded nation is open (it binds to loopback only); a
                // configured one answers 401 and the agent says which token it needs.
                var settings = context.Settings(parse);

                var options = new NodeAgentOptions
                {
                    ApiUrl = settings.Url,
                    Token = settings.Token,
                    NodeId = Parse<NodeId>(parse.GetValue(id), "--id"),
                    Site = parse.GetValue(site),
                    Accelerator = parse.GetValue(accelerator) is { } slug ? Parse<AcceleratorSlug>(slug, "--accelerator") : null,
                    Count = parse.GetValue(count),
                    MemoryGb = parse.GetValue(memory),
                    LeaseSeconds = parse.GetValue(lease),
                    HeartbeatInterval = parse.GetValue(interval) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                    Register = parse.GetValue(register),
                };
                if (options.Validate() is { Count: > 0 } problems)
                {
                    foreach (var problem in problems)
                    {
                        await context.Error.WriteLineAsync($"error: {problem}");
                    }

                    return ExitCodes.Usage;
                }

                using var agent = new NodeAgent(options);
                return await agent.RunAsync(context.Output, ct) switch
                {
                    NodeAgent.ExitStopped => ExitCodes.Ok,
                    NodeAgent.ExitTokenRejected => ExitCodes.Unauthorized,
                    _ => ExitCodes.Failure,
                };
            }
            catch (Connection.FedctlException e)
            {
                await context.Error.WriteLineAsync($"error: {e.Message}");
                return e.ExitCode;
            }
        });
        return command;
    }

    private static T Parse<T>(string? text, string flag) where T : struct, ITypedId<T> =>
        T.TryParse(text, out var value, out var error) ? value : throw new Connection.FedctlException($"{flag}: {error}", ExitCodes.Usage);

    private static Command Drain(FedctlContext context, string name, bool draining, string description)
    {
        var id = new Argument<string>("id") { Description = "node id" };
        var command = new Command(name, description) { id };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var result = await api.SendAsync(HttpMethod.Post, $"api/v1/nodes/{Uri.EscapeDataString(parse.GetValue(id)!)}:drain", new JsonObject { ["draining"] = draining }, cancellationToken: ct);
            output.WriteLine(context.Json(parse) ? result.Body!.ToJsonString(FedctlContext.Indented) : $"node {parse.GetValue(id)} is {result.Body!["state"]}");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
