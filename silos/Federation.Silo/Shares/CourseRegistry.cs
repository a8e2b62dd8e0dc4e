using System.Collections.Immutable;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Shares;

/// <summary>
/// The courses registered in this nation, from <c>Federation:Shares:Courses</c> (operators register a
/// course in the silo's configuration). Who studies in a course comes from the caller's identity
/// (the issuer's course claim, or a <c>student</c> grant scoped to the course), never from a job spec.
/// </summary>
public sealed class CourseRegistry(IOptions<ShareOptions> options)
{
    private readonly ImmutableSortedDictionary<string, CourseOptions> _courses = options.Value.Courses.ToImmutableSortedDictionary(StringComparer.Ordinal);

    /// <summary>Every registered course id, sorted.</summary>
    public IEnumerable<string> Ids => _courses.Keys;

    /// <summary>The course <paramref name="id"/>, or null when it is not registered.</summary>
    public CourseOptions? Find(string? id) => id is not null && _courses.TryGetValue(id, out var course) ? course : null;
}
