using System.Collections.Immutable;

namespace Federation.Contracts.Shares;

/// <summary>The student tier in the shares table.</summary>
[GenerateSerializer, Immutable, Alias("fed.StudentTierLine")]
public sealed record StudentTierLine
{
    /// <summary>Accelerators guaranteed to the tier here.</summary>
    [Id(0)] public int Quota { get; init; }

    /// <summary>Accelerators student-tier runs hold here now.</summary>
    [Id(1)] public int Held { get; init; }

    /// <summary>Decayed usage of the tier, accelerator-hours.</summary>
    [Id(2)] public double Usage { get; init; }

    /// <summary>The longest walltime of a student-tier job, minutes.</summary>
    [Id(3)] public double MaxWalltimeMinutes { get; init; }

    /// <summary>Accelerators one student may hold at once.</summary>
    [Id(4)] public int MaxPerUser { get; init; }

    /// <summary>Accelerators one course may hold at once.</summary>
    [Id(5)] public int MaxPerCourse { get; init; }

    /// <summary>The courses registered here.</summary>
    [Id(6)] public ImmutableArray<string> Courses { get; init; } = [];
}
