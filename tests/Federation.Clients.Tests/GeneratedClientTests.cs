using Federation.Clients.User.Api.V1.Jobs;
using Federation.Testing;
using FederationModels = Federation.Clients.Federation.Models;
using UserModels = Federation.Clients.User.Models;

namespace Federation.Clients.Tests;

/// <summary>
/// The clients Kiota generates from the committed OpenAPI documents (at build time, into obj/) work
/// against launched nations: typed ids survive the round trip, errors arrive as typed problems,
/// query parameters filter, and a rostered nation's federation client is answered.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class GeneratedClientTests(LaunchedNations nations) : IClassFixture<LaunchedNations>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private static string UniqueId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];

    private static UserModels.JobRequest Job(string id, string user) => new()
    {
        Id = id,
        Owner = new UserModels.JobOwnerRequest { User = user, Consortium = "clients-test" },
        Purpose = new UserModels.JobPurposeRequest { Use = "HMB" },
        Accelerators = new UserModels.AcceleratorsRequest { Count = 1 },
        Work = new UserModels.WorkRequest { AcceleratorHours = 1, ReferenceAccelerator = "a100-80gb-sxm" },
        WalltimeMinutes = 60,
        Workload = new UserModels.WorkloadRequest { Name = "demo-train", Version = "1.0" },
    };

    [Fact]
    public async Task UserClient_SubmitJobAndReadItBack_KeepsTheNationCode()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = nations.UserClient("DE");
        var id = UniqueId("roundtrip");

        var submitted = await client.Api.V1.Jobs.PostAsync(Job(id, "alice@example.org"), cancellationToken: ct);
        Assert.NotNull(submitted);
        Assert.Equal($"DE/{id}", submitted.Ref);

        var read = await client.Api.V1.Jobs[id].GetAsync(cancellationToken: ct);
        Assert.NotNull(read);
        Assert.Equal($"DE/{id}", read.Ref);
        Assert.Equal(id, read.Spec?.Id);
        Assert.Equal("alice@example.org", read.Spec?.Owner?.User);
        Assert.NotNull(read.State);

        // Once placed, the nation it runs in arrives as its code, not as an empty object.
        var placed = await Eventually.WaitAsync(
            () => client.Api.V1.Jobs[id].GetAsync(cancellationToken: ct),
            j => j?.Nation is not null || j?.Decision is not null,
            s_timeout,
            $"job {id} in DE gets a routing decision");
        if (placed!.Nation is { } nation)
        {
            Assert.Matches("^[A-Z]{2}$", nation);
        }

        var explanation = await client.Api.V1.Jobs[id].Decision.GetAsync(cancellationToken: ct);
        Assert.Equal($"DE/{id}", explanation?.Job);
    }

    [Fact]
    public async Task UserClient_InvalidJob_ThrowsATypedValidationProblemNamingTheField()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = nations.UserClient("FR");

        var problem = await Assert.ThrowsAsync<UserModels.HttpValidationProblemDetails>(
            () => client.Api.V1.Jobs.PostAsync(Job("Not A Valid Id!", "alice@example.org"), cancellationToken: ct));

        Assert.Equal(400, problem.ResponseStatusCode);
        Assert.Equal(400, problem.Status);
        Assert.NotNull(problem.Errors);
        Assert.Contains("id", problem.Errors.AdditionalData.Keys);
        var missing = await Assert.ThrowsAsync<UserModels.ProblemDetails>(() => client.Api.V1.Jobs["no-such-job"].GetAsync(cancellationToken: ct));
        Assert.Equal(404, missing.ResponseStatusCode);
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task UserClient_ListJobsWithFilters_ReturnsOnlyTheMatchingJobs()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = nations.UserClient("FR");
        var owner = $"{UniqueId("owner")}@example.org";
        var mine = new[] { UniqueId("mine-a"), UniqueId("mine-b") };
        foreach (var id in mine)
        {
            await client.Api.V1.Jobs.PostAsync(Job(id, owner), cancellationToken: ct);
        }

        await client.Api.V1.Jobs.PostAsync(Job(UniqueId("theirs"), "bob@example.org"), cancellationToken: ct);

        var page = await client.Api.V1.Jobs.GetAsync(r => r.QueryParameters.Owner = owner, ct);
        Assert.NotNull(page?.Items);
        Assert.Equal(mine.Select(id => $"FR/{id}").Order(StringComparer.Ordinal), page.Items.Select(j => j.Ref).Order(StringComparer.Ordinal));

        var first = await client.Api.V1.Jobs.GetAsync(r => { r.QueryParameters.Owner = owner; r.QueryParameters.Limit = 1; }, ct);
        Assert.Single(first!.Items!);
        Assert.NotNull(first.NextAfter);

        // The enum the document lists for state is what the server accepts.
        var cancelledNone = await client.Api.V1.Jobs.GetAsync(r => { r.QueryParameters.Owner = owner; r.QueryParameters.State = GetStateQueryParameterType.Cancelled; }, ct);
        Assert.Empty(cancelledNone!.Items!);

        var badLimit = await Assert.ThrowsAsync<UserModels.HttpValidationProblemDetails>(
            () => client.Api.V1.Jobs.GetAsync(r => r.QueryParameters.Limit = 501, ct));
        Assert.Contains("limit", badLimit.Errors!.AdditionalData.Keys);
    }

    [Fact]
    public async Task FederationClient_WithRosteredCertificate_SendsAnAdvertAndAnOffer()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = nations.FederationClient(from: "FR", to: "DE");

        var hello = await client.Federation.V1.Hello.GetAsync(cancellationToken: ct);
        Assert.Equal("DE", hello?.Code);
        Assert.Equal("FR", hello?.Peer);

        // An advert for the sender's own nation is taken (204); one for another nation is refused.
        await client.Federation.V1.Adverts.PostAsync(Advert("FR"), cancellationToken: ct);
        var impostor = await Assert.ThrowsAsync<FederationModels.ProblemDetails>(
            () => client.Federation.V1.Adverts.PostAsync(Advert("DE"), cancellationToken: ct));
        Assert.Equal(403, impostor.ResponseStatusCode);

        // An offer of one of FR's jobs gets DE's admission answer, for that epoch.
        var id = UniqueId("offered");
        var admission = await client.Federation.V1.Jobs.Offers.PostAsync(Offer($"FR/{id}", id), cancellationToken: ct);
        Assert.NotNull(admission);
        Assert.Equal("DE", admission.Nation);
        Assert.Equal(1, admission.Epoch);
        Assert.NotNull(admission.Admitted);
        Assert.False(string.IsNullOrWhiteSpace(admission.Reason));

        // A nation may offer only its own jobs.
        var notOrigin = await Assert.ThrowsAsync<FederationModels.ProblemDetails>(
            () => client.Federation.V1.Jobs.Offers.PostAsync(Offer($"DE/{id}", id), cancellationToken: ct));
        Assert.Equal(403, notOrigin.ResponseStatusCode);

        var invalid = await Assert.ThrowsAsync<FederationModels.HttpValidationProblemDetails>(
            () => client.Federation.V1.Jobs.Offers.PostAsync(new FederationModels.OfferRequest { Job = $"FR/{id}" }, cancellationToken: ct));
        Assert.Equal(400, invalid.ResponseStatusCode);
        Assert.Contains("epoch", invalid.Errors!.AdditionalData.Keys);
    }

    private static FederationModels.CapabilityAdvert Advert(string nation) => new()
    {
        Nation = nation,
        Name = $"{nation} (clients test)",
        Accelerators = [new FederationModels.AcceleratorCapacity { Slug = "h100-sxm", Free = 2, Total = 4 }],
        Pue = 1.2,
        GridZone = nation,
        GridIntensityGco2PerKwh = 55,
        QueueDepth = 0,
        Workloads = [new FederationModels.WorkloadRef { Name = "demo-train", Version = "1.0" }],
        SoftwareVersion = "clients-test",
        ProtocolVersions = [1],
        IssuedAt = DateTimeOffset.UtcNow,
        Sequence = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        SenderEpoch = 1,
    };

    private static FederationModels.OfferRequest Offer(string job, string id) => new()
    {
        Job = job,
        Epoch = 1,
        LeaseSeconds = 60,
        Spec = new FederationModels.JobRequest
        {
            Id = id,
            Owner = new FederationModels.JobOwnerRequest { User = "alice@example.org", Consortium = "clients-test" },
            Purpose = new FederationModels.JobPurposeRequest { Use = "HMB" },
            Accelerators = new FederationModels.AcceleratorsRequest { Count = 1 },
            Work = new FederationModels.WorkRequest { AcceleratorHours = 1, ReferenceAccelerator = "a100-80gb-sxm" },
            WalltimeMinutes = 60,
            Workload = new FederationModels.WorkloadRequest { Name = "demo-train", Version = "1.0" },
        },
    };
}
