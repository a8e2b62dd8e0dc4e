using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Protocol.Roster;
using Federation.Protocol.Wire;
using Federation.Silo.Api;
using Federation.Silo.Peering;

namespace Federation.Silo.Tests.Peering;

/// <summary>
/// Mixed protocol versions (docs/federation-protocol.md, "Versions"): the version two nations speak,
/// what a sender writes to a peer of an older version, and what a receiver capped at a version reads.
/// </summary>
public sealed class ProtocolVersionTests
{
    [Theory]
    [InlineData(new[] { "1", "2" }, new[] { "1" }, 1)]
    [InlineData(new[] { "1" }, new[] { "1", "2" }, 1)]
    [InlineData(new[] { "1", "2" }, new[] { "2", "1" }, 2)]
    [InlineData(new[] { "1", "2" }, new[] { "x", "-1", "01x", "99999999999", "2" }, 2)]
    public void Negotiate_TwoLists_HighestInCommon(string[] mine, string[] theirs, int expected) =>
        Assert.Equal(expected, ProtocolVersions.Negotiate(mine, theirs));

    [Fact]
    public void Negotiate_NothingInCommonOrNoList_Null()
    {
        Assert.Null(ProtocolVersions.Negotiate(["1", "2"], ["3", "4"]));
        Assert.Null(ProtocolVersions.Negotiate(["1", "2"], null));
    }

    [Fact]
    public void SpokenProtocol_CappedAtOne_SaysOneAndSpeaksOneToANewerPeer()
    {
        var capped = new SpokenProtocol(1);

        Assert.Equal(["1"], capped.Versions);
        Assert.Equal([1], capped.Numbers);
        Assert.Equal(1, capped.With(["1", "2"]));
        Assert.Equal(2, new SpokenProtocol(ProtocolVersions.Newest).With(["1", "2"]));
        Assert.Equal(1, new SpokenProtocol(ProtocolVersions.Newest).With(["1"]));

        // A peer with nothing in common (or none known) is written to in the oldest version this silo speaks.
        Assert.Equal(ProtocolVersions.Oldest, new SpokenProtocol(2).With(["7"]));
        Assert.Equal(ProtocolVersions.Oldest, new SpokenProtocol(2).With(null));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ProtocolVersions.Newest + 1)]
    public void ProtocolOptions_VersionThisBuildDoesNotSpeak_RefusedNamingTheKey(int max)
    {
        var result = new ProtocolOptionsValidator().Validate(null, new ProtocolOptions { MaxVersion = max });

        Assert.True(result.Failed);
        Assert.Contains($"Federation:Protocol:MaxVersion must be a federation protocol version this build speaks, 1 to {ProtocolVersions.Newest}, got {max}", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ProtocolOptions_Default_IsTheNewestAndValid()
    {
        var options = new ProtocolOptions();

        Assert.Equal(ProtocolVersions.Newest, options.MaxVersion);
        Assert.True(new ProtocolOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Writing_ToAVersionOnePeer_LeavesOutTheOffersIdentityAndTheEntrysTraceParent()
    {
        var offer = new OfferRequest { Job = "DE/scan", Epoch = 1, LeaseSeconds = 30, Identity = Identity() };
        var entry = new MessageBatchEntry { Id = Guid.NewGuid(), Kind = MessageBatchKinds.Offer, TraceParent = TraceParent };

        var offerV1 = JsonNode.Parse(JsonSerializer.Serialize(offer, FederationJson.ForProtocol(1)))!.AsObject();
        var offerV2 = JsonNode.Parse(JsonSerializer.Serialize(offer, FederationJson.ForProtocol(2)))!.AsObject();
        var entryV1 = JsonNode.Parse(JsonSerializer.Serialize(entry, FederationJson.ForProtocol(1)))!.AsObject();
        var entryV2 = JsonNode.Parse(JsonSerializer.Serialize(entry, FederationJson.ForProtocol(2)))!.AsObject();

        Assert.Equal(["job", "epoch", "leaseSeconds"], offerV1.Select(p => p.Key));
        Assert.Equal(["job", "epoch", "leaseSeconds", "identity"], offerV2.Select(p => p.Key));
        Assert.False(entryV1.ContainsKey("traceParent"));
        Assert.Equal(TraceParent, entryV2["traceParent"]!.GetValue<string>());

        // The same body through the default options (the newest version) keeps everything.
        Assert.Equal(offerV2.ToJsonString(), JsonSerializer.Serialize(offer, FederationJson.Options));
    }

    [Fact]
    public void StrictReader_CappedAtOne_RefusesTheVersionTwoMembersAsUnknown_ReadsTheRest()
    {
        var offer = """{"job":"DE/scan","epoch":1,"leaseSeconds":30,"identity":{"origin":"DE","subject":"alice"}}""";
        var entry = $$$"""{"entries":[{"id":"{{{Guid.NewGuid()}}}","kind":"offer","traceParent":"{{{TraceParent}}}","body":{}}]}""";

        var refused = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<OfferRequest>(offer, JsonBody.StrictFor(1)));
        Assert.Equal("identity", JsonBody.PathOf(refused));
        Assert.StartsWith("unknown member", JsonBody.Describe(refused), StringComparison.Ordinal);
        var refusedEntry = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<MessageBatch>(entry, JsonBody.StrictFor(1)));
        Assert.Equal("entries[0].traceParent", JsonBody.PathOf(refusedEntry));

        Assert.Equal("alice", JsonSerializer.Deserialize<OfferRequest>(offer, JsonBody.StrictFor(2))!.Identity!.Subject);
        Assert.Equal(TraceParent, JsonSerializer.Deserialize<MessageBatch>(entry, JsonBody.StrictFor(2))!.Entries![0]!.TraceParent);
        Assert.Equal("DE/scan", JsonSerializer.Deserialize<OfferRequest>("""{"job":"DE/scan","epoch":1,"leaseSeconds":30}""", JsonBody.StrictFor(1))!.Job);
    }

    /// <summary>
    /// A member a newer version adds must be one an older sender (or an older silo of the same nation, for the
    /// Orleans serializer) can leave out: never <c>required</c>, always nullable, and of a version this build knows.
    /// The sender's and the receiver's types of one body mark the same members.
    /// </summary>
    [Fact]
    public void SinceProtocolMembers_AreOptionalNullableAndKnown_SenderAndReceiverAgree()
    {
        var marked = new[] { typeof(JobOffer).Assembly, typeof(OfferRequest).Assembly }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(p => (Property: p, Since: p.GetCustomAttribute<SinceProtocolAttribute>()))
            .Where(m => m.Since is not null)
            .ToList();

        Assert.NotEmpty(marked);
        var nullability = new NullabilityInfoContext();
        Assert.All(marked, m =>
        {
            var name = $"{m.Property.DeclaringType!.Name}.{m.Property.Name}";
            Assert.False(m.Property.GetCustomAttribute<System.Runtime.CompilerServices.RequiredMemberAttribute>() is not null, $"{name} is required; a member added in protocol {m.Since!.Version} must be optional");
            Assert.True(nullability.Create(m.Property).WriteState is NullabilityState.Nullable || Nullable.GetUnderlyingType(m.Property.PropertyType) is not null, $"{name} must be nullable: an older peer or silo leaves it out");
            Assert.InRange(m.Since!.Version, ProtocolVersions.Oldest + 1, ProtocolVersions.Newest);
        });
        Assert.Equal(
            typeof(OfferRequest).GetProperty(nameof(OfferRequest.Identity))!.GetCustomAttribute<SinceProtocolAttribute>()!.Version,
            typeof(JobOffer).GetProperty(nameof(JobOffer.Identity))!.GetCustomAttribute<SinceProtocolAttribute>()!.Version);
    }

    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private static VouchedIdentity Identity() => new() { Origin = TypedId.Parse<NationCode>("DE"), Subject = "alice" };
}
