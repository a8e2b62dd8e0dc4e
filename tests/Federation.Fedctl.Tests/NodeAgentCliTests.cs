using System.Text.Json.Nodes;
using Federation.Testing;

namespace Federation.Fedctl.Tests;

/// <summary><c>fedctl node agent</c> without a token: runs against an open (embedded) nation, refused with a clear word by a configured one.</summary>
public sealed class NodeAgentCliTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    private static string[] AgentArguments(string id) =>
        ["node", "agent", "--id", id, "--register", "--site", "lab", "--accelerator", "h100-sxm", "--count", "2", "--lease-seconds", "30"];

    [Fact]
    public async Task NodeAgent_NoTokenOnAnOpenNation_RegistersAndHeartbeatsItsNode()
    {
        await using var silo = await SiloUnderTest.StartEmbeddedAsync();
        var environment = FedctlRun.CleanEnvironment();
        environment["FEDCTL_URL"] = silo.BaseAddress.ToString();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var output = new NodeAgentOutput();
        var error = new NodeAgentOutput();
        var run = FedctlApp.RunAsync(AgentArguments("open-node"), output, error, TextReader.Null, environment, stop.Token);

        var node = await Eventually.WaitAsync(
            async () =>
            {
                Assert.False(run.IsCompleted, $"the agent ended (exit {(run.IsCompleted ? run.Result : 0)}): {output} {error}");
                using var response = await silo.Client.GetAsync("/api/v1/nodes/open-node", TestContext.Current.CancellationToken);
                return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)) : null;
            },
            n => n?["state"]?.GetValue<string>() == "up",
            s_deadline,
            "the agent, run without a token, registered node open-node and its heartbeat brought it up");

        Assert.Equal(2, node!["spec"]!["count"]!.GetValue<int>());
        Assert.Contains("no token (an open nation needs none)", output.Text, StringComparison.Ordinal);
        Assert.Contains("registered node open-node", output.Text, StringComparison.Ordinal);
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Ok, await run.WaitAsync(s_deadline, TestContext.Current.CancellationToken));
    }

    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task NodeAgent_NoTokenOnAConfiguredNation_SaysItNeedsOne_Exits4()
    {
        await using var database = await PostgresTestDatabase.CreateAsync("agentnotoken");
        await using var silo = await SiloUnderTest.StartConfiguredAsync(database.ConnectionString);
        var environment = FedctlRun.CleanEnvironment();
        environment["FEDCTL_URL"] = silo.BaseAddress.ToString();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(s_deadline);
        var output = new NodeAgentOutput();
        var error = new NodeAgentOutput();
        var exit = await FedctlApp.RunAsync(AgentArguments("closed-node"), output, error, TextReader.Null, environment, deadline.Token);

        Assert.True(exit == ExitCodes.Unauthorized, $"exit {exit}, expected {ExitCodes.Unauthorized}: {output} {error}");
        Assert.Contains("this nation needs a token", output.Text, StringComparison.Ordinal);
        Assert.Contains("--token", output.Text, StringComparison.Ordinal);
    }
}
