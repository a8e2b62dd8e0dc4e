using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Silo.Transparency;
using Federation.Testing;
using Federation.Transparency;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests.Transparency;

/// <summary>
/// An embedded nation logs its admission of a job; the audit API lists the entry, serves a signed
/// head and an inclusion proof that check on the client's side, and refuses bad parameters by name.
/// </summary>
/// <remarks>
/// The refusals share one silo whose log stays empty (an inclusion proof of size 1 is refused by
/// name); the admitted job's test starts a nation of its own, since its entry would fill that log.
/// </remarks>
public sealed class AuditApiTests(AuditSilo shared) : IClassFixture<AuditSilo>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AdmittedJob_IsInTheLog_ProvenAgainstASignedHead()
    {
        await using var silo = await SiloUnderTest.StartEmbeddedAsync(extra: new Dictionary<string, string?>(AuditSilo.Settings));
        var client = silo.Client;
        await Http.ExpectAsync(await client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node("gpu-audit", leaseSeconds: 3600)), Ct), HttpStatusCode.Created);
        await Http.ExpectAsync(await client.PostAsync("/api/v1/nodes/gpu-audit/heartbeat", Payloads.Json(new JsonObject()), Ct), HttpStatusCode.OK);
        await Http.ExpectAsync(await client.PostAsync("/api/v1/jobs", Payloads.Json(DemoJob.Spec("audited-1")), Ct), HttpStatusCode.Created);

        // The admission is appended in the execution grain's turn, after the job was accepted: poll with a deadline.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        JsonObject? admission = null;
        while (admission is null)
        {
            var page = await client.GetFromJsonAsync<JsonObject>("/api/v1/audit/entries?kind=admission", Ct);
            admission = page!["items"]!.AsArray().OfType<JsonObject>().FirstOrDefault(e => e["job"]!.GetValue<string>().EndsWith("/audited-1", StringComparison.Ordinal));
            Assert.True(admission is not null || DateTimeOffset.UtcNow < deadline, "no admission entry for job audited-1 within 60 s");
            if (admission is null)
            {
                await Task.Delay(100, Ct);
            }
        }

        Assert.Null(admission["problem"]);
        Assert.Equal("1", admission["detail"]!["epoch"]!.GetValue<string>());

        var head = await silo.Services.GetRequiredService<TreeHeadPublisher>().PublishAsync(Ct);
        Assert.NotNull(head);
        var latest = await Http.ExpectAsync(await client.GetAsync("/api/v1/audit/heads/latest", Ct), HttpStatusCode.OK);
        Assert.Equal(head.Head.Size, latest["treeSize"]!.GetValue<long>());

        var index = admission["index"]!.GetValue<long>();
        var proof = await Http.ExpectAsync(await client.GetAsync($"/api/v1/audit/proofs/inclusion?index={index}", Ct), HttpStatusCode.OK);
        var signer = silo.Services.GetRequiredService<TreeHeadSigner>();
        var signed = TreeHeadSignatureFrom(proof["head"]!);
        Assert.Null(TreeHeadSignature.Verify(signed, [signer.Pin]));
        var bytes = Convert.FromBase64String(proof["entry"]!["entry"]!.GetValue<string>());
        var path = proof["auditPath"]!.AsArray().Select(p => Convert.FromBase64String(p!.GetValue<string>())).ToList();
        Assert.Null(MerkleProofs.VerifyInclusion(index, signed.Head.Size, MerkleHash.Leaf(bytes), path, signed.Head.Root));

        var verification = await Http.ExpectAsync(await client.PostAsync("/api/v1/audit/verify", null, Ct), HttpStatusCode.OK);
        Assert.True(verification["sound"]!.GetValue<bool>(), verification.ToJsonString());
    }

    [Theory]
    [InlineData("/api/v1/audit/entries?kind=coffee", "kind")]
    [InlineData("/api/v1/audit/entries?limit=0", "limit")]
    [InlineData("/api/v1/audit/entries?job=%00&dataset=health", "job")]
    [InlineData("/api/v1/audit/entries?dataset=%1B%5B2J", "dataset")]
    [InlineData("/api/v1/audit/entries?peer=F%07R", "peer")]
    [InlineData("/api/v1/audit/heads?limit=5000", "limit")]
    [InlineData("/api/v1/audit/proofs/inclusion?index=0&size=1", "size")]
    [InlineData("/api/v1/audit/proofs/consistency?first=1&second=1", "second")]
    public async Task BadParameters_400NamingTheField(string url, string field)
    {
        await Http.ExpectInvalidFieldAsync(await shared.Silo.Client.GetAsync(url, Ct), field);
    }

    private static SignedTreeHead TreeHeadSignatureFrom(JsonNode head) => new(
        new TreeHead(head["nation"]!.GetValue<string>(), head["treeSize"]!.GetValue<long>(), Convert.FromBase64String(head["rootHash"]!.GetValue<string>()), head["timestamp"]!.GetValue<DateTimeOffset>()),
        head["signerKey"]!.GetValue<string>(),
        head["signature"]!.GetValue<string>());
}
