using System.Text.Json;
using System.Text.Json.Serialization;
using Federation.Contracts.Jobs;
using Federation.Learning.Protocol;
using Federation.Learning.Run;
using Federation.Protocol.Rounds;
using static Federation.Unit.Tests.Learning.Run.RunSimulation;

namespace Federation.Unit.Tests.Learning.Run;

public sealed class RoundMessageCodecTests
{
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static RoundMessageDocument? Parse(string json) => JsonSerializer.Deserialize<RoundMessageDocument>(json, Strict);

    [Fact]
    public void Run_EveryMessageThroughTheJsonWire_CompletesWithFedAvgInTheClear()
    {
        using var sim = new RunSimulation(["DE", "FR", "NL", "SE"], "SE", RoundFailurePolicy.SkipNation, rounds: 3);
        var carried = 0;
        var crossed = new List<(string Artifact, string What, int Bytes)>();
        sim.Carry = e =>
        {
            carried++;
            var json = JsonSerializer.Serialize(RoundMessageCodec.Write(e.From, e.Body), Strict);
            if (e.From != e.To)
            {
                var (artifact, what) = RoundTransfers.Describe(e.Body);
                crossed.Add((artifact, what, json.Length));
            }

            return e with { Body = RoundMessageCodec.Read(e.From, Parse(json)) };
        };
        sim.BeforeDelivery = e =>
        {
            if (e.Body is RelayedShares shares && shares.Session == sim.Terms.Session(2, 0) && e.To == N("DE"))
            {
                sim.Kill(N("DE"));
            }
        };
        sim.Start();
        sim.Run();

        Assert.Equal(RunPhase.Succeeded, sim.Coordinator.Phase);
        Assert.Equal(3, sim.Coordinator.History.Count(r => r.Outcome == "completed"));
        Assert.Empty(sim.Refusals);
        Assert.True(carried > 60, $"only {carried} messages crossed the wire");
        Assert.Subset(
            new HashSet<string> { RoundTransfers.AggregatedModel, RoundTransfers.MaskedUpdate, RoundTransfers.Metrics, RoundTransfers.KeyMaterial, RoundTransfers.Control },
            crossed.Select(c => c.Artifact).ToHashSet());
        Assert.Contains(crossed, c => c.What == "masked update round 3");
        Assert.Contains(crossed, c => c.What == "aggregated model round 2");
        Assert.Equal(2, crossed.Count(c => c.What == "run ended: succeeded")); // FR and NL; the notice to the killed DE is lost before the wire, SE's own is local
        Assert.Equal(7, crossed.Count(c => c.Artifact == RoundTransfers.MaskedUpdate)); // DE, FR, NL in round 1; FR, NL after DE is killed in round 2
    }

    [Fact]
    public void Run_StepCostsThroughTheJsonWire_RecordedPerRoundAndNation()
    {
        using var sim = new RunSimulation(["DE", "FR", "NL", "SE"], "SE", RoundFailurePolicy.SkipNation, rounds: 2);
        sim.Carry = e => e with { Body = RoundMessageCodec.Read(e.From, Parse(JsonSerializer.Serialize(RoundMessageCodec.Write(e.From, e.Body), Strict))) };
        sim.Start();
        sim.Run();

        Assert.Equal(RunPhase.Succeeded, sim.Coordinator.Phase);
        foreach (var record in sim.Coordinator.History.Where(r => r.Outcome == "completed"))
        {
            Assert.Equal(["DE", "FR", "NL", "SE"], record.Steps.Select(s => s.Nation.Value)); // the aggregator SE contributes too
            Assert.All(record.Steps, s =>
            {
                Assert.Equal(("local-train", record.Round), (s.Name, s.Round));
                Assert.Equal(sim.StepKwh(s.Nation), s.EnergyKwh, 15);
                Assert.Equal(sim.StepKwh(s.Nation) * 100, s.EmissionsGco2e, 12);
            });
        }
    }

    [Theory]
    [InlineData("""{"v":2,"kind":"ready","job":"FR/j","round":0,"attempt":0,"from":"DE"}""", "v: must be 1")]
    [InlineData("""{"v":1,"kind":"gossip","job":"FR/j","round":1,"attempt":0,"from":"DE"}""", "kind: must be one of")]
    [InlineData("""{"v":1,"kind":"metrics","job":"FR/j","round":1,"attempt":0,"from":"DE","values":[1,2]}""", "values: is not allowed in a metrics message")]
    [InlineData("""{"v":1,"kind":"maskedInput","job":"FR/j","round":1,"attempt":0,"from":"DE","values":[1,4294967296]}""", "values[1]: must be 0 to 4294967295")]
    [InlineData("""{"v":1,"kind":"maskedInput","job":"FR/j","round":1001,"attempt":0,"from":"DE","values":[1,2]}""", "round: must be 1 to 1000")]
    [InlineData("""{"v":1,"kind":"maskedInput","job":"FR/j","round":1,"attempt":100,"from":"DE","values":[1,2]}""", "attempt: must be 0 to 99")]
    [InlineData("""{"v":1,"kind":"maskedInput","job":"nonsense","round":1,"attempt":0,"from":"DE","values":[1,2]}""", "job: ")]
    [InlineData("""{"v":1,"kind":"unmaskingRequest","job":"FR/j","round":1,"attempt":0,"from":"DE","survivors":["FR",null],"dropped":[]}""", "survivors[1]: must not be null")]
    [InlineData("""{"v":1,"kind":"unmaskingRequest","job":"FR/j","round":1,"attempt":0,"from":"DE","survivors":["FR","FR"],"dropped":[]}""", "survivors: must not repeat a nation")]
    [InlineData("""{"v":1,"kind":"metrics","job":"FR/j","round":1,"attempt":0,"from":"DE","metrics":{"validationLoss":0.4,"validationAccuracy":1.5,"validationSamples":10}}""", "metrics.validationAccuracy: must be 0 to 1")]
    [InlineData("""{"v":1,"kind":"metrics","job":"FR/j","round":1,"attempt":0,"from":"DE","metrics":{"validationLoss":0.4,"validationAccuracy":0.5,"validationSamples":10,"energyKwh":-1}}""", "metrics.energyKwh: must be a finite number, 0 to 10000")]
    [InlineData("""{"v":1,"kind":"metrics","job":"FR/j","round":1,"attempt":0,"from":"DE","metrics":{"validationLoss":0.4,"validationAccuracy":0.5,"validationSamples":10,"energyKwh":1e9}}""", "metrics.energyKwh: must be a finite number, 0 to 10000")]
    [InlineData("""{"v":1,"kind":"metrics","job":"FR/j","round":1,"attempt":0,"from":"DE","metrics":{"validationLoss":0.4,"validationAccuracy":0.5,"validationSamples":10,"energyKwh":0.001,"emissionsGco2e":6}}""", "metrics.emissionsGco2e: must be a finite number, 0 to energyKwh x 5000 gCO2e/kWh")]
    [InlineData("""{"v":1,"kind":"metrics","job":"FR/j","round":1,"attempt":0,"from":"DE","metrics":{"validationLoss":0.4,"validationAccuracy":0.5,"validationSamples":10,"emissionsGco2e":-0.5}}""", "metrics.emissionsGco2e: must be a finite number")]
    [InlineData("""{"v":1,"kind":"keyAdvert","job":"FR/j","round":1,"attempt":0,"from":"DE","adverts":[{"nation":"DE","encryptionKey":"AA==","maskKey":"AA==","selfMaskCommitment":"AA==","signature":"AA=="}]}""", "adverts[0].selfMaskCommitment: must be base64 of 32 to 32 bytes")]
    [InlineData("""{"v":1,"kind":"roundStart","job":"FR/j","round":1,"attempt":0,"from":"DE","globalWeights":[0.5],"contributors":["DE","FR","SE"],"threshold":1}""", "threshold: must be 2 to 64")]
    public void Read_BadField_RefusedMalformedNamingTheField(string json, string expected)
    {
        var e = Assert.Throws<RoundMessageRefusedException>(() => RoundMessageCodec.Read(N("DE"), Parse(json)));

        Assert.Equal(RefusalReason.Malformed, e.Reason);
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SenderOtherThanTheAuthenticatedPeer_RefusedSenderMismatch()
    {
        var json = """{"v":1,"kind":"ready","job":"FR/j","round":0,"attempt":0,"from":"FR"}""";

        var e = Assert.Throws<RoundMessageRefusedException>(() => RoundMessageCodec.Read(N("DE"), Parse(json)));

        Assert.Equal(RefusalReason.SenderMismatch, e.Reason);
        Assert.Contains("from: the message claims FR but DE sent it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownMember_RefusedByTheStrictReader()
    {
        var json = """{"v":1,"kind":"ready","job":"FR/j","round":0,"attempt":0,"from":"DE","update":[1,2]}""";

        Assert.Throws<JsonException>(() => Parse(json));
    }
}
