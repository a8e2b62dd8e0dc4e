using System.Globalization;
using Federation.Contracts.Jobs;

namespace Federation.Lifecycle.Shares;

/// <summary>
/// The share rules of admission, pure: the student tier (a registered course, a short walltime, caps
/// per student and course, a guaranteed quota and low priority beyond it), consortium quotas, and
/// the fair share between nations. Over-served work may still borrow what is idle now; such runs
/// are marked borrowed, and <see cref="Reclaim"/> chooses which of them give accelerators back.
/// </summary>
public static class ShareRules
{
    /// <summary>A foreign nation far over its entitlement would have to queue here.</summary>
    public const string FairShare = "fair-share";

    /// <summary>A consortium would hold more than its quota here, and nothing idle can be borrowed.</summary>
    public const string ConsortiumQuota = "consortium-quota";

    /// <summary>The student tier's guaranteed quota is used up and nothing is idle; or a research job would take accelerators held for students.</summary>
    public const string StudentQuota = "student-quota";

    /// <summary>A student-tier job without a course, or whose course is not registered.</summary>
    public const string StudentCourse = "student-course";

    /// <summary>A student-tier job asks for a longer walltime than the tier allows.</summary>
    public const string StudentWalltime = "student-walltime";

    /// <summary>A student would hold more accelerators at once than the tier allows one student.</summary>
    public const string StudentUserCap = "student-user-cap";

    /// <summary>A course would hold more accelerators at once than the tier allows one course.</summary>
    public const string StudentCourseCap = "student-course-cap";

    /// <summary>Borrowed accelerators are being given back to their owners: nothing is lent until the reclaim's hold ends.</summary>
    public const string Reclaim = "reclaim";

    /// <summary>Decides <paramref name="job"/> with <paramref name="facts"/>.</summary>
    public static ShareVerdict Decide(ShareRequest job, ShareFacts facts)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(facts);
        var verdict = job.Tier == JobTier.Student ? Student(job, facts) : Research(job, facts);
        return verdict.Borrowed && facts.Reclaiming is { } hold
            ? new(Reclaim, Invariant($"{Reclaim}: {hold.Accelerators} borrowed accelerators are being given back to work within its shares until {hold.Until:yyyy-MM-ddTHH:mm:ssZ}; nothing is lent meanwhile"))
            : verdict;
    }

    /// <summary>
    /// The rank of <paramref name="job"/> among waiting work, higher first: its nation's fair-share
    /// factor, plus <see cref="ShareSettings.LocalPriority"/> for this nation's own users; a student
    /// job beyond the tier's quota ranks last.
    /// </summary>
    public static double Priority(ShareRequest job, ShareFacts facts)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(facts);
        if (job.Tier == JobTier.Student && facts.StudentHeld + job.Accelerators > facts.StudentReserve)
        {
            return 0;
        }

        return facts.FactorOf(job.Origin) + (job.Local ? facts.Settings.LocalPriority : 0);
    }

    private static ShareVerdict Student(ShareRequest job, ShareFacts facts)
    {
        var s = facts.Settings;
        if (job.Course is null)
        {
            return new(StudentCourse, $"{StudentCourse}: a student-tier job names its course (field course)");
        }

        if (facts.CourseRegistered == false)
        {
            return new(StudentCourse, $"{StudentCourse}: course {job.Course} is not registered in this nation");
        }

        if (job.Walltime > s.StudentMaxWalltime)
        {
            return new(StudentWalltime, Invariant($"{StudentWalltime}: the student tier allows at most {s.StudentMaxWalltime.TotalMinutes} minutes of walltime, the job asks {job.Walltime.TotalMinutes}"));
        }

        if (facts.StudentUserHeld + job.Accelerators > s.StudentMaxPerUser)
        {
            return new(StudentUserCap, $"{StudentUserCap}: {job.User} would hold {facts.StudentUserHeld + job.Accelerators} accelerators in the student tier, at most {s.StudentMaxPerUser}");
        }

        if (facts.StudentCourseHeld + job.Accelerators > s.StudentMaxPerCourse)
        {
            return new(StudentCourseCap, $"{StudentCourseCap}: course {job.Course} would hold {facts.StudentCourseHeld + job.Accelerators} accelerators, at most {s.StudentMaxPerCourse}");
        }

        var reserve = facts.StudentReserve;
        if (facts.StudentHeld + job.Accelerators <= reserve)
        {
            return new(null, $"within the student tier's guaranteed quota ({facts.StudentHeld + job.Accelerators} of {reserve})");
        }

        return facts.Free >= job.Accelerators
            ? new(null, $"beyond the student tier's quota of {reserve}, on {job.Accelerators} idle accelerators (reclaimable)", Borrowed: true)
            : new(StudentQuota, $"{StudentQuota}: the student tier's guaranteed {reserve} accelerators are in use ({facts.StudentHeld} held) and {facts.Free} are idle, {job.Accelerators} wanted");
    }

    private static ShareVerdict Research(ShareRequest job, ShareFacts facts)
    {
        var s = facts.Settings;
        var reserveUnused = facts.HoldsStudentReserve ? Math.Max(0, facts.StudentReserve - facts.StudentHeld) : 0;
        var usable = facts.Free - reserveUnused;
        var borrowed = false;
        if (job.Consortium is { } consortium && s.ConsortiumQuotas.TryGetValue(consortium, out var quota))
        {
            var cap = (int)Math.Floor(quota * facts.Total);
            var held = facts.ConsortiumHeld.GetValueOrDefault(consortium);
            if (held + job.Accelerators > cap)
            {
                if (!s.BorrowIdle || usable < job.Accelerators)
                {
                    return new(ConsortiumQuota, Invariant($"{ConsortiumQuota}: consortium {consortium} would hold {held + job.Accelerators} accelerators, over its quota of {cap} ({quota * 100:0.#}% of {facts.Total}), and {Math.Max(0, usable)} are idle to borrow"));
                }

                borrowed = true;
            }
        }

        if (!job.Local)
        {
            var factor = facts.FactorOf(job.Origin);
            if (factor < s.RefuseBelowFactor)
            {
                if (usable < job.Accelerators)
                {
                    return new(FairShare, Invariant($"{FairShare}: {job.Origin} has used more than its entitlement of {facts.Entitlements.GetValueOrDefault(job.Origin) * 100:0.0}% (factor {factor:0.000}, below {s.RefuseBelowFactor:0.00}) and the job would have to queue"));
                }

                borrowed = true;
            }
        }

        if (reserveUnused > 0 && usable < job.Accelerators)
        {
            return new(StudentQuota, $"{StudentQuota}: {reserveUnused} of the {facts.Free} idle accelerators are held for the student tier, {job.Accelerators} wanted");
        }

        return new(null, borrowed ? $"on {job.Accelerators} idle accelerators, borrowed (reclaimable)" : "within its shares", borrowed);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
