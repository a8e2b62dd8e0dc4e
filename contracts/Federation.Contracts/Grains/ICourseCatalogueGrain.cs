using System.Collections.Immutable;
using Federation.Contracts.Shares;
using Orleans.Concurrency;

namespace Federation.Contracts.Grains;

/// <summary>The courses registered through the API in this nation (key: <see cref="Key"/>); kept in grain storage, so they survive a restart.</summary>
[Alias("fed.ICourseCatalogueGrain"), GrainInterfaceType("fed.ICourseCatalogueGrain")]
public interface ICourseCatalogueGrain : IGrainWithStringKey
{
    /// <summary>The one key of this grain in a nation's cluster.</summary>
    const string Key = "courses";

    /// <summary>Every course registered through the API, by id. Side-effect free.</summary>
    [Alias("GetAsync"), ReadOnly, AlwaysInterleave]
    Task<ImmutableArray<CourseRecord>> GetAsync();

    /// <summary>Registers <paramref name="course"/> unless its id is registered already; returns the course stored under its id (the existing one when it was).</summary>
    [Alias("AddAsync")]
    Task<CourseRecord> AddAsync(CourseRecord course);

    /// <summary>Removes the course <paramref name="id"/>; false when it was not registered.</summary>
    [Alias("RemoveAsync")]
    Task<bool> RemoveAsync(string id);
}
