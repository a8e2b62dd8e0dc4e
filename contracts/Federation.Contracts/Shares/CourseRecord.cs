namespace Federation.Contracts.Shares;

/// <summary>A course registered in a nation: student-tier jobs name it (<c>GET /api/v1/courses</c>, <c>fedctl courses</c>).</summary>
[GenerateSerializer, Immutable, Alias("fed.CourseRecord")]
public sealed record CourseRecord
{
    /// <summary>The course's id (a slug), which student-tier jobs give as <c>course</c>.</summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>The supervisor's subject (<c>{issuer}:{sub}</c>), who may submit for the course too.</summary>
    [Id(1)] public required string Supervisor { get; init; }

    /// <summary>The course's title, for people; null when none.</summary>
    [Id(2)] public string? Title { get; init; }

    /// <summary>Where it is registered: <c>configuration</c> (<c>Federation:Shares:Courses</c>, removed only there) or <c>api</c>.</summary>
    [Id(3)] public string Source { get; init; } = CourseSources.Api;

    /// <summary>When it was registered through the API; null for a configured course.</summary>
    [Id(4)] public DateTimeOffset? RegisteredAt { get; init; }

    /// <summary>Who registered it through the API (the caller's subject); null for a configured course.</summary>
    [Id(5)] public string? RegisteredBy { get; init; }
}

/// <summary>The values of <see cref="CourseRecord.Source"/>.</summary>
public static class CourseSources
{
    /// <summary>Registered in the silo's configuration.</summary>
    public const string Configuration = "configuration";

    /// <summary>Registered through <c>POST /api/v1/courses</c>.</summary>
    public const string Api = "api";
}
