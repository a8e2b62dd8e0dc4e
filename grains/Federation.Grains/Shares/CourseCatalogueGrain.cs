using System.Collections.Immutable;
using Federation.Contracts.Grains;
using Federation.Contracts.Shares;

namespace Federation.Grains.Shares;

/// <summary>The courses registered through the API, written to grain storage before it answers (see <see cref="ICourseCatalogueGrain"/>).</summary>
[GrainType("course-catalogue")]
public sealed class CourseCatalogueGrain(
    [PersistentState("courses", GrainStorageNames.Catalogue)] IPersistentState<CourseCatalogueState> state)
    : Grain, ICourseCatalogueGrain
{
    /// <inheritdoc />
    public Task<ImmutableArray<CourseRecord>> GetAsync() =>
        Task.FromResult(state.State.Courses.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToImmutableArray());

    /// <inheritdoc />
    public async Task<CourseRecord> AddAsync(CourseRecord course)
    {
        ArgumentNullException.ThrowIfNull(course);
        if (state.State.Courses.TryGetValue(course.Id, out var existing))
        {
            return existing;
        }

        state.State.Courses[course.Id] = course;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            state.State.Courses.Remove(course.Id);
            throw;
        }

        return course;
    }

    /// <inheritdoc />
    public async Task<bool> RemoveAsync(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!state.State.Courses.Remove(id, out var removed))
        {
            return false;
        }

        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            state.State.Courses[id] = removed;
            throw;
        }

        return true;
    }
}

/// <summary>Persistent state of the course catalogue grain.</summary>
[GenerateSerializer, Alias("fed.CourseCatalogueState")]
public sealed class CourseCatalogueState
{
    /// <summary>The courses, by id.</summary>
    [Id(0)] public Dictionary<string, CourseRecord> Courses { get; set; } = new(StringComparer.Ordinal);
}
