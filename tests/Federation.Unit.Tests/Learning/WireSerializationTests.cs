using Federation.Learning.Aggregation;
using Federation.Learning.Protocol;
using Federation.Learning.Quantisation;
using Federation.Learning.Round;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using static Federation.Unit.Tests.Learning.SecAggHarness;

namespace Federation.Unit.Tests.Learning;

/// <summary>The round's messages survive Orleans serialization: a round whose every message is serialised on the way still sums right.</summary>
public sealed class WireSerializationTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(KeyAdvert).Assembly))
        .BuildServiceProvider();

    [Fact]
    public void Round_EveryMessageSerialisedOnTheWay_CompletesWithThePlainSum()
    {
        var serializer = _services.GetRequiredService<Serializer>();
        using var h = new SecAggHarness(["FR", "DE", "SE", "IT"], "FR", threshold: 3, length: 16);
        var carried = 0;
        h.Wire = message =>
        {
            carried++;
            return serializer.Deserialize<object>(serializer.SerializeToArray(message))!;
        };
        var inputs = h.RandomInputs(16, seed: 12);

        h.Advertise();
        h.ShareKeys();
        h.MaskInputs(inputs, N("SE"));
        h.Unmask(N("SE"));

        Assert.Equal(RoundStage.Completed, h.Server.Status.Stage);
        Assert.Equal(PlainSum(inputs.Where(p => p.Key != N("SE")).Select(p => p.Value), 16), h.Server.Outcome!.Sum.ToArray());
        Assert.True(carried > 20, $"only {carried} messages crossed the wire");
        var outcome = serializer.Deserialize<RoundOutcome>(serializer.SerializeToArray(h.Server.Outcome))!;
        Assert.Equal(h.Server.Outcome.Sum, outcome.Sum.AsEnumerable());
        Assert.Equal(h.Server.Outcome.Dropped, outcome.Dropped.AsEnumerable());
    }

    [Fact]
    public void RulesAndResults_RoundTrip()
    {
        var serializer = _services.GetRequiredService<Serializer>();
        var rule = new AggregationRule(AggregationAlgorithm.FedProx, 0.01, 500, new DifferentialPrivacySettings(1, 1.1, 1e-5));
        var quantisation = new QuantisationParameters(4, 22);
        var update = new AggregatedUpdate([0.5, -1], 2, 2, new PrivacyBudget(3.2, 1e-5, 4, 1.1));

        Assert.Equal(rule, serializer.Deserialize<AggregationRule>(serializer.SerializeToArray(rule)));
        Assert.Equal(quantisation, serializer.Deserialize<QuantisationParameters>(serializer.SerializeToArray(quantisation)));
        var back = serializer.Deserialize<AggregatedUpdate>(serializer.SerializeToArray(update))!;
        Assert.Equal(update.Update, back.Update.AsEnumerable());
        Assert.Equal(update.Budget, back.Budget);
    }

    public void Dispose() => _services.Dispose();
}
