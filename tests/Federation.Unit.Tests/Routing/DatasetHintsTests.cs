using Federation.Contracts.Ids;
using Federation.Silo.Routing;

namespace Federation.Unit.Tests.Routing;

public sealed class DatasetHintsTests
{
    private static readonly string[] s_known = ["air-quality", "health-registry", "parliament-speech", "imaging-open"];

    private static DatasetRef Ref(string text) =>
        DatasetRef.TryParse(text, out var id, out var error) ? id : throw new ArgumentException(error, nameof(text));

    [Fact]
    public void For_MisspelledId_NamesTheClosestIdsFirstAndHowToSearch()
    {
        var hint = DatasetHints.For(Ref("FR/health-registy"), s_known);
        Assert.Equal("; closest in FR: FR/health-registry; search every nation with 'fedctl datasets search --federated --text health registy'", hint);
    }

    [Fact]
    public void Closest_SharedWordsBeforeSpelling_AtMostThree()
    {
        var closest = DatasetHints.Closest("air-quallity", ["hair-salon", "air-traffic", "parliament-speech", "air-pollution", "air-quality", "air"]);
        Assert.Equal(3, closest.Count);
        Assert.Equal("air-quality", closest[0]);
        Assert.DoesNotContain("hair-salon", closest);
        Assert.DoesNotContain("parliament-speech", closest);
    }

    [Fact]
    public void For_NothingAlike_SaysSoAndHowToSearch()
    {
        var hint = DatasetHints.For(Ref("SE/no-such-data"), s_known);
        Assert.Equal("; SE has no dataset it could mean; search every nation with 'fedctl datasets search --federated --text no such'", hint);
    }

    [Fact]
    public void Closest_TheIdItself_IsNotAHint()
    {
        Assert.DoesNotContain("air-quality", DatasetHints.Closest("air-quality", s_known));
    }
}
