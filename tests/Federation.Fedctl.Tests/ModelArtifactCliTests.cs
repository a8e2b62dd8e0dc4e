using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Federation.Fedctl.Tests;

/// <summary>
/// <c>fedctl models push|pull|lineage</c> on two nations peered over mutual TLS: FR holds a model's
/// bytes, DE pulls them over the federation API (verified against FR's sha256) only when the model's
/// restrictions allow DE; both logs hold the transfer; bytes altered at FR are refused at DE.
/// </summary>
public sealed class ModelArtifactCliTests(PeeredNations nations) : IClassFixture<PeeredNations>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fedctl-models-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Dictionary<string, string?> Environment(Uri api)
    {
        var environment = FedctlRun.CleanEnvironment();
        environment["FEDCTL_URL"] = api.ToString();
        return environment;
    }

    /// <summary>Registers <paramref name="name"/>@1.0.0 at FR for the bytes of a new file, and returns the file.</summary>
    private async Task<(string File, byte[] Bytes, string Sha)> RegisterAtFrAsync(string name, JsonObject restrictions)
    {
        byte[] bytes = [.. Enumerable.Range(0, 90_000).Select(i => (byte)(i * 17 + name.Length))];
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var file = Path.Combine(_directory, name + ".safetensors");
        await File.WriteAllBytesAsync(file, bytes, Ct);
        using var client = new HttpClient { BaseAddress = nations.FrApi };
        using var created = await client.PostAsJsonAsync("/api/v1/models", new JsonObject
        {
            ["name"] = name,
            ["version"] = "1.0.0",
            ["sha256"] = sha,
            ["format"] = "safetensors",
            ["sizeBytes"] = bytes.Length,
            ["licence"] = "Apache-2.0",
            ["lineage"] = new JsonObject
            {
                ["datasets"] = new JsonArray("SE/cohort"),
                ["producingJob"] = "FR/fed-train-1",
                ["round"] = 4,
                ["steps"] = new JsonArray(new JsonObject { ["name"] = "aggregate", ["nation"] = "FR", ["round"] = 4, ["energyKwh"] = 0.5, ["emissionsGco2e"] = 25.0 }),
            },
            ["restrictions"] = restrictions,
        }, Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        return (file, bytes, sha);
    }

    private static async Task<JsonArray> TransfersAsync(Uri api, string peer)
    {
        using var client = new HttpClient { BaseAddress = api };
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/v1/audit/entries?kind=artifact-transfer&peer={peer}", Ct);
        return page!["items"]!.AsArray();
    }

    [Fact]
    public async Task PushAtFr_PullFromFrAtDe_SameBytesVerified_LineageAtDe_BothLogsHoldTheTransfer()
    {
        var (file, bytes, sha) = await RegisterAtFrAsync("tumour-net", new JsonObject { ["mayLeave"] = true, ["nations"] = new JsonArray("DE") });

        var push = await FedctlRun.RunAsync(Environment(nations.FrApi), "models", "push", file, "--name", "tumour-net", "--version", "1.0.0");
        Assert.True(push.Exit == 0, push.Error);
        Assert.Contains(sha, push.Output, StringComparison.Ordinal);
        Assert.Contains("stored", push.Output, StringComparison.Ordinal);

        var target = Path.Combine(_directory, "pulled.bin");
        var pull = await FedctlRun.RunAsync(Environment(nations.DeApi), "models", "pull", "tumour-net@1.0.0", "--from", "FR", "--out", target);
        Assert.True(pull.Exit == 0, pull.Error);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(target, Ct));
        Assert.Contains("FR", pull.Output, StringComparison.Ordinal);

        var lineage = await FedctlRun.RunAsync(Environment(nations.DeApi), "models", "lineage", "tumour-net@1.0.0");
        Assert.True(lineage.Exit == 0, lineage.Error);
        Assert.Contains("FR/fed-train-1", lineage.Output, StringComparison.Ordinal);
        Assert.Contains("aggregate", lineage.Output, StringComparison.Ordinal);
        Assert.Contains($"sha256 {sha}", lineage.Output, StringComparison.Ordinal);

        var outAtFr = (await TransfersAsync(nations.FrApi, "DE")).Where(e => e!["detail"]!["model"]?.GetValue<string>() == "tumour-net@1.0.0").ToList();
        var inAtDe = (await TransfersAsync(nations.DeApi, "FR")).Where(e => e!["detail"]!["model"]?.GetValue<string>() == "tumour-net@1.0.0").ToList();
        Assert.Contains(outAtFr, e => e!["detail"]!["direction"]!.GetValue<string>() == "out" && e["detail"]!["status"]!.GetValue<string>() == "complete");
        Assert.Contains(inAtDe, e => e!["detail"]!["direction"]!.GetValue<string>() == "in" && e["detail"]!["sha256"]!.GetValue<string>() == sha);
        Assert.Equal(outAtFr.Single()!["detail"]!["request"]!.GetValue<string>(), inAtDe.Single()!["detail"]!["request"]!.GetValue<string>());
    }

    [Fact]
    public async Task Pull_OfAnArtifactThatStaysHome_IsRefusedByFrWithTheRule_NothingStoredAtDe()
    {
        var (file, _, sha) = await RegisterAtFrAsync("home-only-net", new JsonObject { ["mayLeave"] = false });
        Assert.Equal(0, (await FedctlRun.RunAsync(Environment(nations.FrApi), "models", "push", file, "--name", "home-only-net", "--version", "1.0.0")).Exit);

        var pull = await FedctlRun.RunAsync(Environment(nations.DeApi), "models", "pull", "home-only-net@1.0.0", "--from", "FR");

        Assert.Equal(ExitCodes.Unauthorized, pull.Exit);
        Assert.Contains("restrictions.mayLeave is false", pull.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(nations.ArtifactRoot("DE"), "sha256", sha[..2], sha[2..])));
        using var client = new HttpClient { BaseAddress = nations.DeApi };
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/models/home-only-net/versions/1.0.0", Ct)).StatusCode);
    }

    [Fact]
    public async Task Pull_OfBytesAlteredAtFr_FailsTheChecksumAtDe_NothingStored()
    {
        var (file, bytes, sha) = await RegisterAtFrAsync("altered-net", new JsonObject { ["mayLeave"] = true });
        Assert.Equal(0, (await FedctlRun.RunAsync(Environment(nations.FrApi), "models", "push", file, "--name", "altered-net", "--version", "1.0.0")).Exit);
        var stored = Path.Combine(nations.ArtifactRoot("FR"), "sha256", sha[..2], sha[2..]);
        var altered = bytes.ToArray();
        altered[1234] ^= 0x40;
        await File.WriteAllBytesAsync(stored, altered, Ct);

        var pull = await FedctlRun.RunAsync(Environment(nations.DeApi), "models", "pull", "altered-net@1.0.0", "--from", "FR");

        Assert.Equal(ExitCodes.Unavailable, pull.Exit);
        Assert.Contains("hash to sha256", pull.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(nations.ArtifactRoot("DE"), "sha256", sha[..2], sha[2..])));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(nations.ArtifactRoot("DE"), "incoming")));
    }

    [Fact]
    public async Task Push_OfAFileOtherThanTheRegisteredOne_IsRefusedNamingSha256()
    {
        await RegisterAtFrAsync("other-net", new JsonObject { ["mayLeave"] = true });
        var wrong = Path.Combine(_directory, "wrong.bin");
        await File.WriteAllBytesAsync(wrong, [1, 2, 3], Ct);

        var push = await FedctlRun.RunAsync(Environment(nations.FrApi), "models", "push", wrong, "--name", "other-net", "--version", "1.0.0");

        Assert.Equal(ExitCodes.Invalid, push.Exit);
        Assert.Contains("sha256:", push.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_WithNeitherFromNorOut_IsAUsageError()
    {
        var pull = await FedctlRun.RunAsync(Environment(nations.DeApi), "models", "pull", "x@1");

        Assert.Equal(ExitCodes.Usage, pull.Exit);
        Assert.Contains("--from", pull.Error, StringComparison.Ordinal);
    }
}
