using System.Collections.Immutable;
using CsCheck;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Peers;
using Federation.Grains.Execution.Ledger;

namespace Federation.Unit.Tests.Execution;

/// <summary>
/// The waiting line answers its common case from totals kept as runs come and go; random histories of joins, leaves,
/// prunes and silences hold those answers to a pass over the whole line, and its contents to a plain model of who was
/// heard of when.
/// </summary>
public sealed class WaitingLineTotalsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Models = ["a100-80gb-sxm", "h100-sxm", "l40s"];

    // Claims name one model, two, or one twice (a claim the totals cannot answer for).
    private static readonly ImmutableArray<AcceleratorSlug>[] Choices =
    [
        [Slug(0)], [Slug(1)], [Slug(0), Slug(1)], [Slug(1), Slug(1)],
    ];

    // Seconds between steps: within Silent, past it, past Forgotten.
    private static readonly int[] Steps = [0, 1, 3, 9, 11, 200, 700];

    private static readonly double[] Priorities = [0, 0.5, 0.5, 0.9];

    private static AcceleratorSlug Slug(int i) => TypedId.Parse<AcceleratorSlug>(Models[i]);

    private static readonly CapacitySnapshot Snapshot = new([.. Models.Select((m, i) => new AcceleratorCapacity(TypedId.Parse<AcceleratorSlug>(m), 12 - (4 * i), 16))], 0);

    private sealed record Step(int Kind, int Holder, int Choice, int Count, int Band, int Priority, int Wait);

    private static readonly Gen<Step> StepGen = Gen.Select(Gen.Int[0, 9], Gen.Int[0, 7], Gen.Int[0, Choices.Length - 1], Gen.Int[1, 4], Gen.Int[0, 2], Gen.Int[0, Priorities.Length - 1], Gen.Int[0, Steps.Length - 1])
        .Select((kind, holder, choice, count, band, priority, wait) => new Step(kind, holder, choice, count, band, priority, wait));

    [Fact]
    public void RandomHistories_TheTotalsAnswerAsAPassOverTheLine_AndTheLineHoldsWhoWasHeardOf()
    {
        StepGen.List[1, 60].Sample(steps =>
        {
            var now = T0;
            var line = new WaitingLine([], now);
            var heard = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            foreach (var step in steps)
            {
                var holder = $"exec-DE/j{step.Holder}/1";
                switch (step.Kind)
                {
                    case <= 5: // joining is the common call
                        var claim = new WaitClaim(Choices[step.Choice], step.Count, step.Band, Priorities[step.Priority]);
                        var joined = line.Join(holder, claim, Snapshot, now, out _);
                        heard[holder] = now;
                        Assert.Equal(Describe(line.SeenByPass(holder, Snapshot, now)), Describe(joined));
                        break;
                    case 6:
                        line.Leave(holder);
                        heard.Remove(holder);
                        break;
                    case 7:
                        line.Prune(now);
                        foreach (var gone in heard.Where(h => now - h.Value > WaitingLine.Forgotten).Select(h => h.Key).ToList())
                        {
                            heard.Remove(gone);
                        }

                        break;
                    default:
                        now += TimeSpan.FromSeconds(Steps[step.Wait]);
                        break;
                }

                for (var h = 0; h < 8; h++)
                {
                    var asked = $"exec-DE/j{h}/1";
                    Assert.Equal(heard.ContainsKey(asked), line.Contains(asked));
                    Assert.Equal(Describe(line.SeenByPass(asked, Snapshot, now)), Describe(line.Seen(asked, Snapshot, now)));
                    foreach (var model in Models)
                    {
                        Assert.Equal(line.FreeForByPass(asked, model, 10, now), line.FreeFor(asked, model, 10, now));
                        foreach (var (count, free) in new[] { (1, 10), (4, 10), (2, 3), (1, 40), (3, 0) })
                        {
                            Assert.Equal(line.FreeForByPass(asked, model, free, now) >= count, line.MayTake(asked, model, count, free, now));
                        }
                    }
                }
            }
        }, iter: 400);
    }

    [Fact]
    public void ALongLineOfEqualRanks_EachNewcomerSeesEveryoneAhead_TheTotalsAnswer()
    {
        var line = new WaitingLine([], T0);
        var claim = new WaitClaim([Slug(0)], 1, 0, 0);
        for (var i = 0; i < 2_000; i++)
        {
            var seen = line.Join($"exec-DE/j{i:D5}/1", claim, Snapshot, T0.AddMilliseconds(i), out _);
            Assert.Equal(i, seen.Ahead);
            Assert.Equal(Math.Max(0, 12 - i), seen.Agents[0].Free);
        }

        Assert.Equal(2_500 - 1_999, line.FreeFor("exec-DE/j01999/1", Models[0], 2_500, T0.AddSeconds(2)));
        Assert.Equal(2_500, line.FreeFor("exec-DE/j00000/1", Models[0], 2_500, T0.AddSeconds(2)));
        // The first in line allocates with the 1,999 behind it: free covering all of them answers without a pass, less is passed over.
        Assert.True(line.MayTake("exec-DE/j00000/1", Models[0], 1, 2_000, T0.AddSeconds(2)));
        Assert.True(line.MayTake("exec-DE/j00000/1", Models[0], 1, 1, T0.AddSeconds(2)));
        Assert.False(line.MayTake("exec-DE/j01000/1", Models[0], 1, 1_000, T0.AddSeconds(2)));
        Assert.False(line.Leave("exec-DE/j00000/1")); // it never had to wait: not kept with the state
    }

    private static string Describe(CapacitySnapshot snapshot) =>
        $"{snapshot.Ahead}: {string.Join(", ", snapshot.Agents.Select(a => $"{a.Slug}={a.Free}/{a.Total}"))}";
}
