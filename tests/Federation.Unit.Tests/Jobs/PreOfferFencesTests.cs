using Federation.Contracts.Ids;
using Federation.Grains.Jobs;

namespace Federation.Unit.Tests.Jobs;

public sealed class PreOfferFencesTests
{
    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly NationCode s_de = TypedId.Parse<NationCode>("DE");

    private static JobRef Job(string origin, int i) => TypedId.Parse<JobRef>($"{origin}/job-{i}");

    [Fact]
    public void TryRemember_OverTheBudget_RefusedUntilOldFencesExpire()
    {
        var time = new ManualTime();
        var fences = new PreOfferFences(time);
        for (var i = 0; i < PreOfferFences.MaxPerOrigin; i++)
        {
            Assert.True(fences.TryRemember(s_de, Job("DE", i), 1));
        }

        Assert.False(fences.TryRemember(s_de, Job("DE", PreOfferFences.MaxPerOrigin), 1));
        Assert.True(fences.TryRemember(s_de, Job("DE", 0), 1), "a fence already remembered is not a new entry");
        Assert.True(fences.TryRemember(TypedId.Parse<NationCode>("FR"), Job("FR", 0), 1), "each origin has its own budget");

        time.Now += PreOfferFences.Lifetime;
        Assert.True(fences.TryRemember(s_de, Job("DE", PreOfferFences.MaxPerOrigin + 1), 1));
    }

    [Fact]
    public void IsFenced_WithinLifetime_TrueForThatEpochOnly()
    {
        var time = new ManualTime();
        var fences = new PreOfferFences(time);
        fences.TryRemember(s_de, Job("DE", 1), 2);

        Assert.True(fences.IsFenced(Job("DE", 1), 2));
        Assert.False(fences.IsFenced(Job("DE", 1), 3));
        time.Now += PreOfferFences.Lifetime;
        Assert.False(fences.IsFenced(Job("DE", 1), 2));
    }
}
