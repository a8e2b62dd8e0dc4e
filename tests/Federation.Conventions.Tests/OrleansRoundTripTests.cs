using System.Text.Json;
using Federation.Contracts.Json;
using Federation.Contracts.Results;

namespace Federation.Conventions.Tests;

/// <summary>Every serializable contract type survives the Orleans serializer, written as object so that its alias is exercised too.</summary>
public sealed class OrleansRoundTripTests(OrleansSerializerFixture fixture) : IClassFixture<OrleansSerializerFixture>
{
    public static TheoryData<string> SampleNames { get; } = [.. WireSamples.All.Keys];

    [Fact]
    public void Samples_SerializableContractTypes_AreAllCovered()
    {
        var sampled = WireSamples.All.Values.Select(s => s.Value.GetType())
            .Select(t => t.IsGenericType ? t.GetGenericTypeDefinition() : t)
            .ToHashSet();
        var missing = ConventionTypes.Serializable
            .Where(t => t.Assembly == ConventionTypes.Contracts && !typeof(Exception).IsAssignableFrom(t) && !sampled.Contains(t))
            .Select(t => $"{t.FullName}: add a populated sample to {nameof(WireSamples)}")
            .ToList();

        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Sample_EverySerializedMember_IsPopulated(string name)
    {
        var unpopulated = MemberComparison.Unpopulated(WireSamples.All[name].Value);

        Assert.True(unpopulated.Count == 0, $"{name}: a round trip cannot tell these from lost values:{Environment.NewLine}{string.Join(Environment.NewLine, unpopulated)}");
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Sample_OrleansRoundTrip_IsEqual(string name)
    {
        var sample = WireSamples.All[name];

        var copy = fixture.Serializer.Deserialize<object>(fixture.Serializer.SerializeToArray<object>(sample.Value));

        Assert.IsType(sample.Value.GetType(), copy);
        var differences = MemberComparison.Differences(sample.Value, copy);
        Assert.True(differences.Count == 0, $"{name} changed in the round trip:{Environment.NewLine}{string.Join(Environment.NewLine, differences)}");
        Assert.Equal(Json(sample.Value), Json(copy));
        if (sample.HasValueEquality)
        {
            Assert.Equal(sample.Value, copy);
        }
    }

    [Fact]
    public void StorageUnavailableException_OrleansRoundTrip_KeepsMessage()
    {
        var exception = new StorageUnavailableException("the store did not confirm the write");

        var copy = fixture.Serializer.Deserialize<object>(fixture.Serializer.SerializeToArray<object>(exception));

        Assert.Equal(exception.Message, Assert.IsType<StorageUnavailableException>(copy).Message);
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, value.GetType(), FederationJson.Options);
}
