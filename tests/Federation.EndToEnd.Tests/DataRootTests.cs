using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Federation.Protocol.Wire;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Data roots (issue 13) between two real nations (PostgreSQL, mutual TLS): a dataset's file:
/// location must resolve inside <c>Federation:Data:Roots</c> and never at the silo's own key, at
/// registration and at the content endpoint; the endpoint streams only bytes that match the catalogue.
/// </summary>
public sealed class DataRootTests(StagingNations nations) : IClassFixture<StagingNations>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DeKey => Path.Combine(nations.Directory, "de.pfx");

    private async Task<JsonObject> RegisterExpectingRefusalAsync(string id, string path, byte[] bytes)
    {
        var body = FederationFixtures.DatasetBody("DE/" + id, bytes.Length, new JsonObject { ["kind"] = "anywhere" }, new JsonObject { ["permission"] = "GRU" });
        body["id"] = id;
        body["location"] = new Uri(path).AbsoluteUri;
        body["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var api = nations.Api("DE");
        using var response = await api.PostAsJsonAsync("api/v1/datasets", body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400 registering {path}, got {(int)response.StatusCode}: {text}");
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.True(problem["errors"]?.AsObject().ContainsKey("location") == true, text);
        using var stored = await api.GetAsync($"api/v1/datasets/{id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, stored.StatusCode);
        return problem;
    }

    private async Task<(HttpStatusCode Status, string Body)> ContentAsync(string id)
    {
        using var fr = nations.Peer("FR", "DE");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"federation/v1/catalogue/datasets/{id}/content").WithRequestId(Guid.NewGuid());
        using var response = await fr.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Register_AtTheSilosOwnKeyFile_OrALinkToIt_OrOutsideTheRoots_Returns400NamingLocationAndTheRule()
    {
        var key = await File.ReadAllBytesAsync(DeKey, Ct);

        var direct = await RegisterExpectingRefusalAsync("own-key", DeKey, key);
        Assert.Contains("never data", direct["errors"]!["location"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var link = Path.Combine(nations.Directory, "data", "innocent.bin");
        File.CreateSymbolicLink(link, DeKey);
        var linked = await RegisterExpectingRefusalAsync("linked-key", link, key);
        Assert.Contains($"resolves to {DeKey}", linked["errors"]!["location"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var dotDot = await RegisterExpectingRefusalAsync("dot-dot", Path.Combine(nations.Directory, "data", "..", "de.pfx"), key);
        Assert.Contains("never data", dotDot["errors"]!["location"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var roster = await RegisterExpectingRefusalAsync("outside", Path.Combine(nations.Directory, "outside.csv"), [1]);
        Assert.Contains("outside every data root", roster["errors"]!["location"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var sibling = Directory.CreateDirectory(Path.Combine(nations.Directory, "data-evil")).FullName;
        var siblingFile = Path.Combine(sibling, "x.csv");
        await File.WriteAllBytesAsync(siblingFile, [1, 2, 3], Ct);
        await RegisterExpectingRefusalAsync("prefix-trick", siblingFile, [1, 2, 3]);
    }

    [Fact]
    public async Task Content_WhenTheFileWasSwappedForALinkToTheKey_IsRefusedAndNoKeyByteLeaves()
    {
        var bytes = new byte[4096];
        RandomNumberGenerator.Fill(bytes);
        var path = nations.WriteData("swapped.bin", bytes);
        await nations.RegisterAsync("DE/swapped", "anywhere", path, bytes);
        Assert.Equal(HttpStatusCode.OK, (await ContentAsync("swapped")).Status);

        File.Delete(path);
        File.CreateSymbolicLink(path, DeKey);
        var (status, body) = await ContentAsync("swapped");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("data roots", body, StringComparison.Ordinal);
        Assert.DoesNotContain(DeKey, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Content_FileChangedAfterRegistration_RefusedBySha256_ThenServedWhenRestored()
    {
        var bytes = new byte[8192];
        RandomNumberGenerator.Fill(bytes);
        var path = nations.WriteData("changed.bin", bytes);
        await nations.RegisterAsync("DE/changed", "anywhere", path, bytes);
        Assert.Equal(HttpStatusCode.OK, (await ContentAsync("changed")).Status);

        // Same size, other bytes, later modification time: re-verified, and refused.
        var other = (byte[])bytes.Clone();
        other[100] ^= 0xff;
        await File.WriteAllBytesAsync(path, other, Ct);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        var (status, body) = await ContentAsync("changed");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("sha256", body, StringComparison.Ordinal);

        await File.WriteAllBytesAsync(path, bytes, Ct);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(2));
        Assert.Equal(HttpStatusCode.OK, (await ContentAsync("changed")).Status);
    }
}
