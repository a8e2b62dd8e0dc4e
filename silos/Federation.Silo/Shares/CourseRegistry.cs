using System.Collections.Immutable;
using Federation.Contracts.Grains;
using Federation.Contracts.Shares;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Shares;

/// <summary>
/// The courses registered in this nation: those of <c>Federation:Shares:Courses</c> (the silo's configuration) and
/// those registered through <c>/api/v1/courses</c> (the course catalogue grain, in grain storage). The API's courses
/// are read again every <see cref="RefreshEvery"/> (another silo of the nation may have changed them) and at once
/// after a change on this silo. Who studies in a course comes from the caller's identity (the issuer's course claim,
/// or a <c>student</c> grant scoped to the course), never from a job spec.
/// </summary>
public sealed class CourseRegistry(IOptions<ShareOptions> options, IGrainFactory? grains = null)
{
    /// <summary>How often the API's courses are read again from grain storage.</summary>
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);

    private readonly ImmutableSortedDictionary<string, CourseOptions> _configured = options.Value.Courses.ToImmutableSortedDictionary(StringComparer.Ordinal);
    private volatile ImmutableSortedDictionary<string, CourseRecord> _registered = ImmutableSortedDictionary.Create<string, CourseRecord>(StringComparer.Ordinal);

    /// <summary>Every registered course id, sorted.</summary>
    public IEnumerable<string> Ids => _configured.Keys.Union(_registered.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal);

    /// <summary>The course <paramref name="id"/>, or null when it is not registered.</summary>
    public CourseOptions? Find(string? id)
    {
        if (id is null)
        {
            return null;
        }

        if (_configured.TryGetValue(id, out var configured))
        {
            return configured;
        }

        return _registered.TryGetValue(id, out var course) ? new CourseOptions { Supervisor = course.Supervisor, Title = course.Title } : null;
    }

    /// <summary>True when <paramref name="id"/> is registered in the configuration (the API may not change it).</summary>
    public bool IsConfigured(string id) => _configured.ContainsKey(id);

    /// <summary>Every course, configured first where an id is in both, sorted by id.</summary>
    public IReadOnlyList<CourseRecord> All() =>
    [
        .. _configured.Select(c => new CourseRecord { Id = c.Key, Supervisor = c.Value.Supervisor, Title = c.Value.Title, Source = CourseSources.Configuration })
            .Concat(_registered.Values.Where(c => !_configured.ContainsKey(c.Id)))
            .OrderBy(c => c.Id, StringComparer.Ordinal),
    ];

    /// <summary>Reads the API's courses from grain storage again.</summary>
    public async Task RefreshAsync()
    {
        if (grains is not null)
        {
            Remember(await Grain().GetAsync());
        }
    }

    /// <summary>Registers <paramref name="course"/> through the catalogue grain; returns the course stored under its id (the existing one when it was).</summary>
    public async Task<CourseRecord> AddAsync(CourseRecord course)
    {
        var stored = await Grain().AddAsync(course);
        Remember(await Grain().GetAsync());
        return stored;
    }

    /// <summary>Removes the API's course <paramref name="id"/>; false when it was not registered through the API.</summary>
    public async Task<bool> RemoveAsync(string id)
    {
        var removed = await Grain().RemoveAsync(id);
        Remember(await Grain().GetAsync());
        return removed;
    }

    private ICourseCatalogueGrain Grain() =>
        (grains ?? throw new InvalidOperationException("the course registry has no grain factory: only configured courses")).GetGrain<ICourseCatalogueGrain>(ICourseCatalogueGrain.Key);

    private void Remember(ImmutableArray<CourseRecord> courses) =>
        _registered = courses.ToImmutableSortedDictionary(c => c.Id, c => c, StringComparer.Ordinal);
}
