using System.Collections.Immutable;

namespace Federation.Contracts.Shares;

/// <summary>What <c>GET /api/v1/shares</c> answers: entitlement, decayed usage and what is borrowed, per nation and consortium, and the student tier.</summary>
[GenerateSerializer, Immutable, Alias("fed.SharesView")]
public sealed record SharesView
{
    /// <summary>The nation that answers.</summary>
    [Id(0)] public required string Nation { get; init; }

    /// <summary>When the figures were computed.</summary>
    [Id(1)] public DateTimeOffset At { get; init; }

    /// <summary>The usage half-life, hours.</summary>
    [Id(2)] public double HalfLifeHours { get; init; }

    /// <summary>Accelerators in service here.</summary>
    [Id(3)] public int Total { get; init; }

    /// <summary>Accelerators free here now.</summary>
    [Id(4)] public int Free { get; init; }

    /// <summary>One row per member nation; its usage is the federation's: this nation's ledger plus what peers reported.</summary>
    [Id(5)] public ImmutableArray<ShareLine> Nations { get; init; } = [];

    /// <summary>One row per consortium with a quota or usage here.</summary>
    [Id(6)] public ImmutableArray<ShareLine> Consortia { get; init; } = [];

    /// <summary>The student tier.</summary>
    [Id(7)] public required StudentTierLine Students { get; init; }

    /// <summary>The usage peers reported, one row per reporting peer and origin nation (signed usage reports).</summary>
    [Id(8)] public ImmutableArray<ReportedUsageLine> Reported { get; init; } = [];

    /// <summary>The runs admitted here on borrowed accelerators, the oldest first.</summary>
    [Id(10)] public ImmutableArray<BorrowedRunLine> BorrowedRuns { get; init; } = [];

    /// <summary>The courses registered here, with their supervisors and where they are registered.</summary>
    [Id(11)] public ImmutableArray<CourseRecord> Courses { get; init; } = [];
}
