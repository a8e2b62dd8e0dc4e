using System.CommandLine;
using System.Text.Json.Nodes;

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
        return node;
    }

    private static Command Drain(FedctlContext context, string name, bool draining, string description)
    {
        var id = new Argument<string>("id") { Description = "node id" };
        var command = new Command(name, description) { id };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var result = await api.SendAsync(HttpMethod.Post, $"api/v1/nodes/{Uri.EscapeDataString(parse.GetValue(id)!)}:drain", new JsonObject { ["draining"] = draining }, cancellationToken: ct);
            output.WriteLine($"node {parse.GetValue(id)} is {result.Body!["state"]}");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
