using System.Text.Json;
using Federation.Contracts.Json;

namespace Federation.Conventions.Tests;

/// <summary>Catalogue records and typed ids read back from their JSON (FederationJson) write the same JSON again.</summary>
public sealed class JsonRoundTripTests
{
    public static TheoryData<string> DocumentNames { get; } = [.. WireSamples.JsonDocuments];

    [Theory]
    [MemberData(nameof(DocumentNames))]
    public void Document_JsonRoundTrip_WritesSameJson(string name)
    {
        var value = WireSamples.All[name].Value;
        var type = value.GetType();
        var json = JsonSerializer.Serialize(value, type, FederationJson.Options);

        var back = JsonSerializer.Deserialize(json, type, FederationJson.Options);

        Assert.NotNull(back);
        Assert.Equal(json, JsonSerializer.Serialize(back, type, FederationJson.Options));
    }
}
