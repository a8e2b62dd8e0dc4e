using Federation.Contracts.Jobs;
using Federation.Lifecycle.Shares;
using Federation.Silo.Shares;

namespace Federation.Silo.Tests.Shares;

/// <summary>
/// The held runs' sums, kept as runs come, go and run out of walltime, are always what summing every held run
/// would give (the share facts admission reads on each offer), and a run is let go once its walltime ended.
/// </summary>
public sealed class HeldRunsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static HeldEntry Run(string consortium, JobTier tier, string user, string? course, int count, int minutes) =>
        new(new UsageAccount("DE", consortium, tier), user, course, count, T0.AddMinutes(minutes), Borrowed: false);

    [Fact]
    public void Sums_FollowRunsComingGoingAndEnding()
    {
        var held = new HeldRuns();
        held.Set("a", Run("cern", JobTier.Standard, "uni:alice", null, 4, 60));
        held.Set("b", Run("cern", JobTier.Standard, "uni:bob", null, 2, 10));
        held.Set("c", Run("", JobTier.Student, "uni:carol", "ml101", 1, 30));
        held.Set("d", Run("", JobTier.Student, "uni:carol", null, 1, 30));

        Assert.Equal(6, held.ByConsortium["cern"]);
        Assert.Equal((2, 2, 1, 1), (held.StudentHeld, held.StudentHeldBy("uni:carol"), held.StudentHeldIn("ml101"), held.StudentHeldIn(null)));

        // The same key again replaces what it held; a release takes it out.
        held.Set("a", Run("cern", JobTier.Standard, "uni:alice", null, 8, 60));
        Assert.Equal(10, held.ByConsortium["cern"]);
        Assert.True(held.Remove("c"));
        Assert.False(held.Remove("c"));
        Assert.Equal((1, 0), (held.StudentHeld, held.StudentHeldIn("ml101")));

        // b's walltime ends at +10 min: let go then, not before; a consortium holding nothing is no longer named.
        held.Prune(T0.AddMinutes(9));
        Assert.Equal(10, held.ByConsortium["cern"]);
        held.Prune(T0.AddMinutes(10));
        Assert.Equal(8, held.ByConsortium["cern"]);
        held.Prune(T0.AddMinutes(61));
        Assert.Empty(held.ByConsortium);
        Assert.Empty(held.Values);
        Assert.Equal(0, held.StudentHeld);
    }

    [Fact]
    public void Sums_AfterManyRandomChanges_AreTheSumsOverTheHeldRuns()
    {
        var random = new Random(20261206);
        var held = new HeldRuns();
        var model = new Dictionary<string, HeldEntry>(StringComparer.Ordinal);
        var now = T0;
        string[] consortia = ["", "cern", "embl"];
        string[] users = ["uni:a", "uni:b", "uni:c"];
        string?[] courses = [null, "ml101", "cv201"];
        for (var step = 0; step < 20_000; step++)
        {
            var key = $"run-{random.Next(300)}";
            switch (random.Next(10))
            {
                case < 6:
                    var run = Run(consortia[random.Next(3)], random.Next(2) == 0 ? JobTier.Student : JobTier.Standard, users[random.Next(3)], courses[random.Next(3)], random.Next(1, 9), (int)(now - T0).TotalMinutes + random.Next(1, 120));
                    held.Set(key, run);
                    model[key] = run;
                    break;
                case < 9:
                    Assert.Equal(model.Remove(key), held.Remove(key));
                    break;
                default:
                    now = now.AddMinutes(random.Next(0, 10));
                    held.Prune(now);
                    foreach (var ended in model.Where(m => m.Value.EndsBy <= now).Select(m => m.Key).ToList())
                    {
                        model.Remove(ended);
                    }

                    break;
            }

            var runs = model.Values.ToList();
            var students = runs.Where(r => r.Account.Tier == JobTier.Student).ToList();
            Assert.Equal(runs.Count, held.Values.Count);
            Assert.Equal(
                runs.Where(r => r.Account.Consortium.Length > 0).GroupBy(r => r.Account.Consortium).ToDictionary(g => g.Key, g => g.Sum(r => r.Count)).OrderBy(c => c.Key),
                held.ByConsortium.OrderBy(c => c.Key));
            Assert.Equal(students.Sum(r => r.Count), held.StudentHeld);
            Assert.All(users, u => Assert.Equal(students.Where(r => r.User == u).Sum(r => r.Count), held.StudentHeldBy(u)));
            Assert.All(courses, c => Assert.Equal(students.Where(r => r.Course == c).Sum(r => r.Count), held.StudentHeldIn(c)));
        }
    }
}
