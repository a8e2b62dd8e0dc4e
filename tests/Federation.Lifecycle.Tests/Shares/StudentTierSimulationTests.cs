using System.Collections.Immutable;
using Federation.Contracts.Jobs;
using Federation.Lifecycle.Shares;

namespace Federation.Lifecycle.Tests.Shares;

/// <summary>
/// The student-tier must-show as a pure simulation: a nation of 40 accelerators (student quota 10 %: 4
/// guaranteed), two consortia (quotas of 50 % each, borrowing idle) with endless backlogs that keep the
/// pool saturated, admitted by <see cref="ShareRules.Decide"/> every 5 minutes for 48 hours. Student
/// jobs arriving while the consortia saturate run at once within the guaranteed quota, are never
/// borrowed (so never reclaimed), and a student claim beyond the quota is refused naming the rule.
/// </summary>
public sealed class StudentTierSimulationTests
{
    private const int Total = 40;
    private static readonly TimeSpan s_tick = TimeSpan.FromMinutes(5);
    private static readonly ShareSettings s_settings = new()
    {
        StudentQuota = 0.1,
        StudentMaxPerUser = 2,
        ConsortiumQuotas = ImmutableDictionary<string, double>.Empty.Add("climate", 0.5).Add("health", 0.5),
    };

    private sealed record Run(ShareRequest Job, DateTimeOffset EndsBy, bool Borrowed);

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void TwoConsortiaSaturate_StudentJobsRunAtOnceWithinTheirQuota(int seed)
    {
        var random = new Random(seed);
        var now = new DateTimeOffset(2026, 2, 2, 0, 0, 0, TimeSpan.Zero);
        var end = now.AddHours(48);
        var running = new List<Run>();
        var backlog = new Dictionary<string, ShareRequest?> { ["climate"] = null, ["health"] = null };
        var students = Enumerable.Range(0, 8).Select(i => (At: now.AddHours(6 + (5 * i)), Job: Student($"uni:student-{i}", 2))).ToList();
        var admittedStudents = 0;
        var saturatedAtArrival = 0;
        for (; now < end; now += s_tick)
        {
            running.RemoveAll(r => r.EndsBy <= now);

            // The consortia take whatever the rules let them, in turn, each keeping its next job until it fits.
            for (var progress = true; progress;)
            {
                progress = false;
                foreach (var consortium in backlog.Keys.ToList())
                {
                    var job = backlog[consortium] ??= Research(consortium, random.Next(1, 9), random.Next(1, 13));
                    var verdict = ShareRules.Decide(job, Facts(running, job));
                    if (verdict.Admitted)
                    {
                        running.Add(new Run(job, now + job.Walltime, verdict.Borrowed));
                        backlog[consortium] = null;
                        progress = true;
                    }
                }
            }

            var researchHeld = running.Where(r => r.Job.Tier == JobTier.Standard).Sum(r => r.Job.Accelerators);
            var reserve = Facts(running, null).StudentReserve;
            Assert.True(researchHeld <= Total - reserve, $"{now:O}: research holds {researchHeld} of {Total}, into the student reserve of {reserve}");

            foreach (var arrival in students.Where(s => s.At == now).ToList())
            {
                students.Remove(arrival);
                // Saturated: the consortia hold all but less than their largest job of what research may use, and each has a job waiting.
                if (researchHeld > Total - reserve - 8 && backlog.Values.All(j => j is not null))
                {
                    saturatedAtArrival++;
                }

                var verdict = ShareRules.Decide(arrival.Job, Facts(running, arrival.Job));
                Assert.True(verdict.Admitted, $"{now:O}: student job of {arrival.Job.User} refused while the consortia saturate: {verdict.Reason}");
                Assert.False(verdict.Borrowed, $"{now:O}: the student job ran on borrowed accelerators: {verdict.Reason}");
                Assert.StartsWith("within the student tier's guaranteed quota", verdict.Reason, StringComparison.Ordinal);
                running.Add(new Run(arrival.Job, now + arrival.Job.Walltime, verdict.Borrowed));
                admittedStudents++;

                // The owner's demand cannot take a guaranteed student run back: reclaim picks borrowed runs only.
                var steps = Reclaim.Plan(running.Select((r, i) => new HeldRun($"run-{i}", r.Job.Origin, r.Job.Accelerators, now, r.EndsBy, r.Borrowed)), Total, now, Facts(running, null));
                Assert.DoesNotContain(steps, s => running[int.Parse(s.Run.Holder[4..], System.Globalization.CultureInfo.InvariantCulture)].Job.Tier == JobTier.Student);
            }
        }

        Assert.Equal(8, admittedStudents);
        Assert.True(saturatedAtArrival >= 6, $"the consortia saturated the pool at only {saturatedAtArrival} of 8 student arrivals");
    }

    [Fact]
    public void StudentsFillTheQuota_TheNextStudentClaimIsRefusedNamingTheRule()
    {
        var now = new DateTimeOffset(2026, 2, 2, 0, 0, 0, TimeSpan.Zero);
        var running = new List<Run>
        {
            new(Research("climate", 18, 4), now.AddHours(4), false),
            new(Research("health", 18, 4), now.AddHours(4), false),
            new(Student("uni:a", 2), now.AddHours(1), false),
            new(Student("uni:b", 2), now.AddHours(1), false),
        };

        var verdict = ShareRules.Decide(Student("uni:c", 1), Facts(running, Student("uni:c", 1)));

        Assert.False(verdict.Admitted);
        Assert.Equal(ShareRules.StudentQuota, verdict.Rule);
    }

    private static ShareRequest Research(string consortium, int accelerators, int hours) =>
        new("FR", true, $"uni:{consortium}-lead", consortium, JobTier.Standard, null, accelerators, TimeSpan.FromHours(hours));

    private static ShareRequest Student(string user, int accelerators) =>
        new("FR", true, user, null, JobTier.Student, "ml-101", accelerators, TimeSpan.FromHours(1));

    private static ShareFacts Facts(List<Run> running, ShareRequest? job) => new()
    {
        Settings = s_settings,
        Total = Total,
        Free = Total - running.Sum(r => r.Job.Accelerators),
        ConsortiumHeld = running.Where(r => r.Job.Consortium is not null).GroupBy(r => r.Job.Consortium!).ToImmutableDictionary(g => g.Key, g => g.Sum(r => r.Job.Accelerators)),
        StudentHeld = running.Where(r => r.Job.Tier == JobTier.Student).Sum(r => r.Job.Accelerators),
        StudentUserHeld = running.Where(r => r.Job.Tier == JobTier.Student && r.Job.User == job?.User).Sum(r => r.Job.Accelerators),
        StudentCourseHeld = running.Where(r => r.Job.Tier == JobTier.Student && r.Job.Course == job?.Course).Sum(r => r.Job.Accelerators),
        CourseRegistered = true,
    };
}
