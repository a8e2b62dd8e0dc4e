using Federation.Grains.Execution.Ledger;

namespace Federation.Unit.Tests.Execution;

/// <summary>The foreign claims' kept sum against the sum over the claims that last, after many random changes.</summary>
public sealed class ForeignClaimsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Pending_EqualsTheSumOverUnexpiredClaims_AfterRandomClaimsDropsAndTime(int seed)
    {
        var random = new Random(seed);
        var claims = new ForeignClaims();
        var model = new Dictionary<string, (int Count, DateTimeOffset Until)>(StringComparer.Ordinal);
        var now = T0;
        for (var step = 0; step < 20_000; step++)
        {
            var holder = $"exec-DE/job-{random.Next(200)}/1";
            switch (random.Next(4))
            {
                case 0 or 1:
                    var claim = (Count: random.Next(1, 9), Until: now.AddSeconds(random.Next(1, 120)));
                    claims.Claim(holder, claim.Count, claim.Until);
                    model[holder] = claim;
                    break;
                case 2:
                    Assert.Equal(model.Remove(holder), claims.Drop(holder));
                    break;
                default:
                    now = now.AddSeconds(random.Next(0, 5));
                    break;
            }

            foreach (var expired in model.Where(c => c.Value.Until <= now).Select(c => c.Key).ToList())
            {
                model.Remove(expired);
            }

            var except = random.Next(3) == 0 ? holder : null;
            var expected = model.Where(c => c.Key != except).Sum(c => c.Value.Count);
            Assert.Equal(expected, claims.Pending(except, now));
        }
    }
}
