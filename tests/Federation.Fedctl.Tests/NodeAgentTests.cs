using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Ids;
using Federation.Contracts.Json;
using Federation.Fedctl.Agent;
using Federation.Testing;

namespace Federation.Fedctl.Tests;

/// <summary>The node agent against real configured silos (PostgreSQL, tokens): lease, restart, tokens.</summary>
[Trait("Category", "EndToEnd")]
public sealed class NodeAgentTests : IAsyncLifetime
{
    private const string NodeName = "agent-node";
    private static readonly NodeId s_node = TypedId.Parse<NodeId>(NodeName);
    private static readonly AcceleratorSlug s_accelerator = TypedId.Parse<AcceleratorSlug>("h100-sxm");
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_restartDeadline = TimeSpan.FromSeconds(60);

    private PostgresTestDatabase? _database;

    private PostgresTestDatabase Database => _database ?? throw new InvalidOperationException("The database was not created.");

    public async ValueTask InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync("nodeagent");

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task NodeAgent_StartedWithOperatorToken_RegistersNodeAndItComesUp()
    {
        await using var silo = await SiloUnderTest.StartConfiguredAsync(Database.ConnectionString);
        await using var agent = NodeAgentRun.Start(Options(silo.BaseAddress, SiloUnderTest.AdminToken, register: true), Estimate());

        var node = await WaitAsync(agent, () => GetNodeAsync(silo.Client), n => n?.State == NodeState.Up, "phase start: GET /nodes/agent-node shows the node up");

        Assert.Equal(8, node!.Spec.Count);
        Assert.Equal(2, node.Spec.LeaseSeconds);
        Assert.Equal(PowerSource.TdpEstimate, node.PowerSource);
        Assert.Equal(8 * 700, node.PowerDrawWatts);
        Assert.Contains("power: estimate from the accelerator table: 5600 W", agent.Output.Text, StringComparison.Ordinal);
        Assert.Contains("registered node agent-node", agent.Output.Text, StringComparison.Ordinal);
        Assert.Equal(NodeAgent.ExitStopped, await agent.StopAsync(s_deadline));
    }

    [Fact]
    public async Task NodeAgent_RegisteredWithAnotherSpec_UpdatesItToTheAgentsSpec()
    {
        await using var silo = await SiloUnderTest.StartConfiguredAsync(Database.ConnectionString);
        await RegisterAsync(silo.Client, count: 2, leaseSeconds: 30);
        await using var agent = NodeAgentRun.Start(Options(silo.BaseAddress, SiloUnderTest.AdminToken, register: true), Estimate());

        var node = await WaitAsync(agent, () => GetNodeAsync(silo.Client), n => n is { State: NodeState.Up, Spec.Count: 8 }, "phase update: the node is up with the agent's count of 8");

        Assert.Equal(2, node!.Spec.LeaseSeconds);
        Assert.Contains("updated it to the agent's", agent.Output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeAgent_Stopped_NodeGoesDownAfterItsLease()
    {
        await using var silo = await SiloUnderTest.StartConfiguredAsync(Database.ConnectionString);
        await using var agent = NodeAgentRun.Start(Options(silo.BaseAddress, SiloUnderTest.AdminToken, register: true), Estimate());
        await WaitAsync(agent, () => ListNodeIdsAsync(silo.Client, "up"), ids => ids.Contains(NodeName), "phase start: the list of up nodes holds agent-node");

        Assert.Equal(NodeAgent.ExitStopped, await agent.StopAsync(s_deadline));
        Assert.Contains("stopped: no more heartbeats", agent.Output.Text, StringComparison.Ordinal);

        // Only the list (the read model) is polled: nothing but the node's own lease timer may mark it down.
        await WaitAsync(agent, () => ListNodeIdsAsync(silo.Client, "down"), ids => ids.Contains(NodeName), "phase stopped: the list of down nodes holds agent-node once its 2 s lease ran out");
    }

    [Fact]
    public async Task NodeAgent_SiloRestartedAtTheSameUrl_ReconnectsByItselfAndNodeIsUpAgain()
    {
        var ports = NodeAgentSilo.FreePorts(5);
        var first = await NodeAgentSilo.StartAsync(Database.ConnectionString, ports[0], ports[1], ports[2]);
        await using var agent = NodeAgentRun.Start(Options(first.BaseAddress, SiloUnderTest.AdminToken, register: true), Estimate());
        using (var client = first.CreateClient(SiloUnderTest.AdminToken))
        {
            await WaitAsync(agent, () => GetNodeAsync(client), n => n?.State == NodeState.Up, "phase before restart: the node is up");
        }

        await first.StopAsync();
        await WaitAsync(agent, () => Task.FromResult(agent.Output.Text), text => text.Contains("lost: ", StringComparison.Ordinal), "phase silo stopped: the agent reports the link lost");

        var restartedAt = DateTimeOffset.UtcNow;
        await using var second = await NodeAgentSilo.StartAsync(Database.ConnectionString, ports[0], ports[3], ports[4]);
        using var secondClient = second.CreateClient(SiloUnderTest.AdminToken);
        await WaitAsync(agent, () => Task.FromResult(agent.Output.Text), text => text.Contains("reconnected after", StringComparison.Ordinal), "phase silo restarted: the agent reports it reconnected", s_restartDeadline);
        await WaitAsync(agent, () => GetNodeAsync(secondClient), n => n is { State: NodeState.Up } && n.LastHeartbeat > restartedAt, "phase silo restarted: the node is up on a heartbeat sent to the new silo");

        Assert.False(agent.Task.IsCompleted, $"the agent kept running through the restart.{Environment.NewLine}{agent.Output.Text}");
        Assert.Equal(NodeAgent.ExitStopped, await agent.StopAsync(s_deadline));
        TestContext.Current.TestOutputHelper?.WriteLine(agent.Output.Text);
    }

    [Fact]
    public async Task NodeAgent_NodeDeletedWhileRunningWithOperatorToken_RegistersItAgain()
    {
        await using var silo = await SiloUnderTest.StartConfiguredAsync(Database.ConnectionString);
        await using var agent = NodeAgentRun.Start(Options(silo.BaseAddress, SiloUnderTest.AdminToken, register: true), Estimate());
        var before = await WaitAsync(agent, () => GetNodeAsync(silo.Client), n => n?.State == NodeState.Up, "phase start: the node is up");

        using (var deleted = await silo.Client.DeleteAsync(new Uri($"api/v1/nodes/{NodeName}", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await WaitAsync(agent, () => GetNodeAsync(silo.Client), n => n is { State: NodeState.Up } && n.CreatedAt > before!.CreatedAt, "phase deleted: the agent registered the node again and it is up");
        Assert.Contains("registering it again", agent.Output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeAgent_WrongToken_ExitsNonZeroNamingTheTokenProblem()
    {
        await using var silo = await SiloUnderTest.StartConfiguredAsync(Database.ConnectionString);
        await using var agent = NodeAgentRun.Start(Options(silo.BaseAddress, "not-a-token-this-nation-issued", register: true), Estimate());

        var exitCode = await agent.Task.WaitAsync(s_deadline, TestContext.Current.CancellationToken);

        Assert.Equal(NodeAgent.ExitTokenRejected, exitCode);
        Assert.Contains("token rejected", agent.Output.Text, StringComparison.Ordinal);
        Assert.Contains("Federation:Auth:NodeTokens:agent-node", agent.Output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeAgent_NodeTokenOfAnotherNode_ExitsNonZeroNamingTheTokenProblem()
    {
        await using var silo = await SiloUnderTest.StartConfiguredAsync(Database.ConnectionString);
        var options = Options(silo.BaseAddress, SiloUnderTest.NodeToken, register: false) with { NodeId = TypedId.Parse<NodeId>("other-node") };
        await using var agent = NodeAgentRun.Start(options, Estimate());

        var exitCode = await agent.Task.WaitAsync(s_deadline, TestContext.Current.CancellationToken);

        Assert.Equal(NodeAgent.ExitTokenRejected, exitCode);
        Assert.Contains("token rejected: it may not send heartbeats for node other-node", agent.Output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeAgent_NodeTokenAndRegisterRequested_SkipsRegistrationAndHeartbeatsRegisteredNode()
    {
        await using var silo = await SiloUnderTest.StartConfiguredAsync(Database.ConnectionString);
        await RegisterAsync(silo.Client, count: 8, leaseSeconds: 2);
        await using var agent = NodeAgentRun.Start(Options(silo.BaseAddress, SiloUnderTest.NodeToken, register: true), Estimate());

        await WaitAsync(agent, () => GetNodeAsync(silo.Client), n => n?.State == NodeState.Up, "phase node token: the registered node is up on the agent's heartbeats");

        Assert.Contains("registration skipped", agent.Output.Text, StringComparison.Ordinal);
        Assert.False(agent.Task.IsCompleted, $"the agent keeps heartbeating.{Environment.NewLine}{agent.Output.Text}");
    }

    [Fact]
    public async Task NodeAgent_NodeTokenAndNodeNotRegistered_KeepsRetryingAndHeartbeatsOnceRegistered()
    {
        await using var silo = await SiloUnderTest.StartConfiguredAsync(Database.ConnectionString);
        await using var agent = NodeAgentRun.Start(Options(silo.BaseAddress, SiloUnderTest.NodeToken, register: false), Estimate());
        await WaitAsync(agent, () => Task.FromResult(agent.Output.Text), text => text.Contains("is not registered on the silo", StringComparison.Ordinal), "phase unregistered: the agent explains the node is not registered");

        await RegisterAsync(silo.Client, count: 8, leaseSeconds: 2);

        await WaitAsync(agent, () => GetNodeAsync(silo.Client), n => n?.State == NodeState.Up, "phase registered: the node is up on the agent's retried heartbeats");
        Assert.False(agent.Task.IsCompleted, $"the agent keeps heartbeating.{Environment.NewLine}{agent.Output.Text}");
    }

    [Fact]
    public async Task NodeAgent_DrainAndResume_NodeStateFollows()
    {
        await using var silo = await SiloUnderTest.StartConfiguredAsync(Database.ConnectionString);
        await using var agent = NodeAgentRun.Start(Options(silo.BaseAddress, SiloUnderTest.AdminToken, register: true), Estimate());
        await WaitAsync(agent, () => GetNodeAsync(silo.Client), n => n?.State == NodeState.Up, "phase start: the node is up");
        using var operatorAgent = new NodeAgent(Options(silo.BaseAddress, SiloUnderTest.AdminToken, register: false));
        using var nodeAgent = new NodeAgent(Options(silo.BaseAddress, SiloUnderTest.NodeToken, register: false));

        Assert.Equal(NodeState.Draining, (await operatorAgent.DrainAsync(true, TestContext.Current.CancellationToken)).State);
        var refused = await Assert.ThrowsAsync<NodeAgentException>(() => nodeAgent.DrainAsync(false, TestContext.Current.CancellationToken));
        Assert.Contains("operator token", refused.Message, StringComparison.Ordinal);
        Assert.Equal(NodeState.Up, (await operatorAgent.DrainAsync(false, TestContext.Current.CancellationToken)).State);
    }

    [Fact]
    public async Task NvidiaSmiPowerSampler_FakeBinaryListingTwoGpus_ReturnsTheirSum()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "the fake nvidia-smi is a shell script");
        var script = FakeNvidiaSmi("printf '250.5\\n300.25\\n'");
        try
        {
            var sampler = new NvidiaSmiPowerSampler(script);

            Assert.Equal(550.75, await sampler.SampleWattsAsync(TestContext.Current.CancellationToken));
            Assert.Null(sampler.LastError);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task NvidiaSmiPowerSampler_FailingOrMissingBinary_ReturnsNull()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "the fake nvidia-smi is a shell script");
        var script = FakeNvidiaSmi("echo 'NVIDIA-SMI has failed' >&2; exit 9");
        try
        {
            var failing = new NvidiaSmiPowerSampler(script);
            var missing = new NvidiaSmiPowerSampler(Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}"));

            Assert.Null(await failing.SampleWattsAsync(TestContext.Current.CancellationToken));
            Assert.Contains("exited with 9", failing.LastError, StringComparison.Ordinal);
            Assert.Null(await missing.SampleWattsAsync(TestContext.Current.CancellationToken));
            Assert.NotNull(missing.LastError);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public void NodeAgentOptions_RegisterWithoutSpec_NamesEachMissingProperty()
    {
        var options = new NodeAgentOptions { ApiUrl = new Uri("http://127.0.0.1:5180"), Token = "t", NodeId = s_node, Register = true };

        var errors = options.Validate();

        Assert.Contains(errors, e => e.StartsWith("NodeAgentOptions.Site", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("NodeAgentOptions.Accelerator", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("NodeAgentOptions.Count", StringComparison.Ordinal));
        Assert.Equal(TimeSpan.FromSeconds(10), (options with { Register = false }).EffectiveHeartbeatInterval);
    }

    private static NodeAgentOptions Options(Uri apiUrl, string token, bool register) => new()
    {
        ApiUrl = apiUrl,
        Token = token,
        NodeId = s_node,
        Site = "paris-1",
        Accelerator = s_accelerator,
        Count = 8,
        LeaseSeconds = 2,
        HeartbeatInterval = TimeSpan.FromMilliseconds(500),
        Register = register,
        MaxRetryDelay = TimeSpan.FromSeconds(1),
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    private static TdpEstimatePowerSampler Estimate() => new(s_accelerator, 8);

    private static async Task<T> WaitAsync<T>(NodeAgentRun agent, Func<Task<T>> probe, Func<T, bool> accept, string expectation, TimeSpan? deadline = null)
    {
        try
        {
            return await Eventually.WaitAsync(probe, accept, deadline ?? s_deadline, expectation, TimeSpan.FromMilliseconds(200));
        }
        catch (TimeoutException e)
        {
            var exit = agent.Task.IsCompleted ? $"exited with {agent.Task.Result}" : "still running";
            throw new TimeoutException($"{e.Message}{Environment.NewLine}Agent ({exit}) printed:{Environment.NewLine}{agent.Output.Text}", e);
        }
    }

    private static async Task<GpuNodeRecord?> GetNodeAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri($"api/v1/nodes/{NodeName}", UriKind.Relative));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<GpuNodeRecord>(FederationJson.Options);
    }

    private static async Task<List<string>> ListNodeIdsAsync(HttpClient client, string state)
    {
        using var response = await client.GetAsync(new Uri($"api/v1/nodes?state={state}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return page.RootElement.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("spec").GetProperty("id").GetString()!).ToList();
    }

    private static async Task RegisterAsync(HttpClient client, int count, double leaseSeconds)
    {
        using var response = await client.PostAsJsonAsync(
            new Uri("api/v1/nodes", UriKind.Relative),
            new { id = NodeName, site = "paris-1", accelerator = s_accelerator.Value, count, leaseSeconds });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static string FakeNvidiaSmi(string body)
    {
        var path = Path.Combine(Path.GetTempPath(), $"fake-nvidia-smi-{Guid.NewGuid():N}");
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }
}
