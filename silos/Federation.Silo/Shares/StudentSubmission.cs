using Federation.Contracts.Jobs;
using Federation.Lifecycle.Shares;
using Federation.Silo.Api;
using Federation.Silo.Auth;
using Federation.Silo.Auth.Audit;

namespace Federation.Silo.Shares;

/// <summary>
/// The student tier's rules on submission: the course must be registered here (else 422, rule
/// <see cref="ShareRules.StudentCourse"/>), and the caller must study in it (the issuer's course
/// claim or a <c>student</c> grant for it), supervise it, or act on every job (else 403, logged).
/// </summary>
public static class StudentSubmission
{
    /// <summary>The problem that refuses <paramref name="spec"/> from the caller of <paramref name="http"/>, or null when it may be submitted.</summary>
    public static async Task<IResult?> CheckAsync(HttpContext http, JobSpec spec, string job)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Tier != JobTier.Student)
        {
            return null;
        }

        var courses = http.RequestServices.GetRequiredService<CourseRegistry>();
        if (courses.Find(spec.Course) is not { } course)
        {
            var known = courses.Ids.Any() ? $"registered here: {string.Join(", ", courses.Ids)}" : "no course is registered here (Federation:Shares:Courses)";
            return Problems.Status(StatusCodes.Status422UnprocessableEntity, "Course not registered",
                $"{ShareRules.StudentCourse}: a student-tier job needs a registered course, and '{spec.Course}' is not one ({known})",
                new Dictionary<string, object?> { ["rule"] = ShareRules.StudentCourse, ["field"] = "course" });
        }

        var caller = Caller.Of(http);
        var studies = http.User.FindAll(FederationClaims.Course).Any(c => c.Value == spec.Course);
        if (caller.ActsOnAll || studies || caller.Subject == course.Supervisor)
        {
            return null;
        }

        return await AccessRefusals.ForbiddenAsync(http, ShareRules.StudentCourse,
            $"a student-tier job of course '{spec.Course}' is for its students and its supervisor, and {caller.Subject} is neither", "submit", job, "course");
    }
}
