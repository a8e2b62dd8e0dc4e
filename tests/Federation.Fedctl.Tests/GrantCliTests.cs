using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Testing;

namespace Federation.Fedctl.Tests;

/// <summary>
/// <c>fedctl grants request|approve|revoke|list</c> against an embedded nation with one controlled
/// dataset: a grant goes from requested to approved (signed, with an expiry) to revoked, the list
/// shows each state, and bad input exits with the invalid-request code naming the field.
/// </summary>
public sealed class GrantCliTests : IAsyncLifetime
{
    private SiloUnderTest _silo = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _silo = await SiloUnderTest.StartEmbeddedAsync();
        var dataset = new JsonObject
        {
            ["id"] = "cohort",
            ["title"] = "A controlled cohort",
            ["location"] = "s3://bucket/cohort",
            ["sizeBytes"] = 1024,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("cohort"))),
            ["format"] = "parquet",
            ["licence"] = "CC-BY-4.0",
            ["steward"] = "Test office <t@example.org>",
            ["residency"] = new JsonObject { ["kind"] = "homeOnly" },
            ["dataUse"] = new JsonObject { ["permission"] = "HMB" },
            ["access"] = new JsonObject { ["requiresGrant"] = true },
        };
        using var response = await _silo.Client.PostAsync("/api/v1/datasets", JsonContent.Create(dataset), Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    public async ValueTask DisposeAsync() => await _silo.DisposeAsync();

    private Dictionary<string, string?> Environment()
    {
        var environment = FedctlRun.CleanEnvironment();
        environment["FEDCTL_URL"] = _silo.BaseAddress.ToString();
        return environment;
    }

    [Fact]
    public async Task Grants_RequestApproveRevoke_ListShowsEachState()
    {
        var (exit, output, error) = await FedctlRun.RunAsync(Environment(), "grants", "request", "cohort", "--purpose", "HMB", "--user", "uni:alice", "--justification", "cohort study", "-o", "json");
        Assert.True(exit == 0, error);
        var id = JsonNode.Parse(output)!["id"]!.GetValue<string>();
        Assert.StartsWith("dag-", id, StringComparison.Ordinal);

        (exit, output, error) = await FedctlRun.RunAsync(Environment(), "grants", "list", "--dataset", "cohort");
        Assert.True(exit == 0, error);
        Assert.Contains(id, output, StringComparison.Ordinal);
        Assert.Contains("user uni:alice", output, StringComparison.Ordinal);
        Assert.Contains("requested", output, StringComparison.Ordinal);

        (exit, output, error) = await FedctlRun.RunAsync(Environment(), "grants", "approve", id, "--days", "30");
        Assert.True(exit == 0, error);
        Assert.Contains($"approved {id} for user uni:alice on FR/cohort until ", output, StringComparison.Ordinal);

        (exit, _, error) = await FedctlRun.RunAsync(Environment(), "grants", "approve", id);
        Assert.Equal(ExitCodes.Conflict, exit);
        Assert.Contains("only a requested grant can be approved", error, StringComparison.Ordinal);

        (exit, output, error) = await FedctlRun.RunAsync(Environment(), "grants", "revoke", id, "--reason", "study ended");
        Assert.True(exit == 0, error);
        Assert.Contains($"revoked {id}", output, StringComparison.Ordinal);

        (exit, output, error) = await FedctlRun.RunAsync(Environment(), "grants", "list");
        Assert.True(exit == 0, error);
        Assert.Contains("revoked", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grants_BadPurpose_ExitsInvalidNamingTheField()
    {
        var (exit, _, error) = await FedctlRun.RunAsync(Environment(), "grants", "request", "cohort", "--purpose", "everything");

        Assert.Equal(ExitCodes.Invalid, exit);
        Assert.Contains("purpose", error, StringComparison.Ordinal);
    }
}
