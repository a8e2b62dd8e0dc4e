namespace Federation.Contracts.Shares;

/// <summary>One row of the usage peers reported: what <see cref="Reporter"/> ran for <see cref="Nation"/>, decayed to now.</summary>
[GenerateSerializer, Immutable, Alias("fed.ReportedUsageLine")]
public sealed record ReportedUsageLine
{
    /// <summary>The peer that ran the work and reported it.</summary>
    [Id(0)] public required string Reporter { get; init; }

    /// <summary>The origin nation of the work.</summary>
    [Id(1)] public required string Nation { get; init; }

    /// <summary>Decayed usage, accelerator-hours.</summary>
    [Id(2)] public double Usage { get; init; }

    /// <summary>The end of the last period <see cref="Reporter"/> reported.</summary>
    [Id(3)] public DateTimeOffset ReportedUntil { get; init; }
}
