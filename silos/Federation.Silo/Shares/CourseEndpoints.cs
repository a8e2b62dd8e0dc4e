using Federation.Contracts.Ids;
using Federation.Contracts.Shares;
using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Api.Requests;
using Federation.Silo.Auth;

namespace Federation.Silo.Shares;

/// <summary>
/// <c>/api/v1/courses</c>: the courses student-tier jobs may name. Everyone who may read the catalogue lists them;
/// operators and nation admins register and remove them (kept in grain storage). Courses of the silo's
/// configuration are listed too and can be changed only there.
/// </summary>
public static class CourseEndpoints
{
    /// <summary>The longest supervisor subject and title taken.</summary>
    public const int MaxText = 200;

    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapCourseEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/api/v1/courses").WithUserApiProblems().WithTags("Shares");
        group.MapGet("/", (CourseRegistry courses) => TypedResults.Ok(courses.All())).RequireAuthorization(Policies.Read).WithName("ListCourses")
            .WithSummary("The courses registered here, from configuration and through this API; student-tier jobs name one.");
        group.MapPost("/", AddAsync).RequireAuthorization(Policies.Operate).WithName("AddCourse")
            .WithSummary("Register a course (id, supervisor, title); the same course again is a 200, another course under a registered id a 409.")
            .Accepts<CourseRequest>("application/json").Produces<CourseRecord>(StatusCodes.Status201Created).Produces<CourseRecord>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id}", RemoveAsync).RequireAuthorization(Policies.Operate).WithName("RemoveCourse")
            .WithSummary("Remove a course registered through this API (running student jobs keep running; new ones naming it are refused by student-course).")
            .Produces(StatusCodes.Status204NoContent).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<IResult> AddAsync(HttpContext http, CourseRegistry courses, TimeProvider time)
    {
        var (body, problem) = await JsonBody.ReadAsync<CourseRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        if (body!.Id is null)
        {
            errors.Add("id", $"is required: {IdSyntax.SlugRule}");
        }
        else if (!IdSyntax.IsSlug(body.Id))
        {
            errors.Add("id", $"'{Shown(body.Id)}' is not a course id: {IdSyntax.SlugRule}");
        }

        var supervisor = RequestFields.Text(body.Supervisor, "supervisor", 3, MaxText, errors);
        if (supervisor is not null && supervisor.Length >= 3 && (!supervisor.Contains(':', StringComparison.Ordinal) || supervisor.StartsWith(':') || supervisor.EndsWith(':') || supervisor.Any(char.IsWhiteSpace)))
        {
            errors.Add("supervisor", "must be the supervisor's subject, {issuer}:{sub} without spaces, e.g. uni:prof");
        }

        var title = body.Title is null ? null : RequestFields.Text(body.Title, "title", 1, MaxText, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        if (courses.IsConfigured(body.Id!))
        {
            return Configured(body.Id!);
        }

        var wanted = new CourseRecord { Id = body.Id!, Supervisor = supervisor!, Title = title, Source = CourseSources.Api, RegisteredAt = time.GetUtcNow(), RegisteredBy = Caller.Of(http).Subject };
        var stored = await courses.AddAsync(wanted);
        if (ReferenceEquals(stored, wanted) || stored == wanted)
        {
            return TypedResults.Created($"/api/v1/courses/{stored.Id}", stored);
        }

        return stored.Supervisor == wanted.Supervisor && stored.Title == wanted.Title
            ? TypedResults.Ok(stored)
            : Problems.Status(StatusCodes.Status409Conflict, "Course already registered",
                $"course '{stored.Id}' is registered already (supervisor {stored.Supervisor}); remove it first to register it again",
                new Dictionary<string, object?> { ["field"] = "id" });
    }

    private static async Task<IResult> RemoveAsync(string id, CourseRegistry courses)
    {
        if (!IdSyntax.IsSlug(id))
        {
            return Problems.Invalid("id", $"'{Shown(id)}' is not a course id: {IdSyntax.SlugRule}");
        }

        if (courses.IsConfigured(id))
        {
            return Configured(id);
        }

        return await courses.RemoveAsync(id)
            ? TypedResults.NoContent()
            : Problems.Status(StatusCodes.Status404NotFound, "Course not found", $"course '{id}' is not registered here", new Dictionary<string, object?> { ["field"] = "id" });
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Configured(string id) =>
        Problems.Status(StatusCodes.Status409Conflict, "Course registered in configuration",
            $"course '{id}' is registered in the silo's configuration (Federation:Shares:Courses:{id}); change it there",
            new Dictionary<string, object?> { ["field"] = "id" });

    private static string Shown(string text) => text.Length > 64 ? text[..64] + "…" : text.Replace('\u0000', '?');
}

/// <summary>Body of <c>POST /api/v1/courses</c>.</summary>
public sealed class CourseRequest
{
    /// <summary>The course's id: a slug (lower-case letters, digits and '-'), which student-tier jobs give as <c>course</c>. Required.</summary>
    public string? Id { get; set; }

    /// <summary>The supervisor's subject, <c>{issuer}:{sub}</c>; the supervisor may submit for the course. Required.</summary>
    public string? Supervisor { get; set; }

    /// <summary>The course's title, for people (at most 200 characters).</summary>
    public string? Title { get; set; }
}
