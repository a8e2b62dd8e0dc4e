namespace Federation.Contracts.Shares;

/// <summary>One row of the shares table: a nation or a consortium.</summary>
[GenerateSerializer, Immutable, Alias("fed.ShareLine")]
public sealed record ShareLine
{
    /// <summary>The nation's code or the consortium's name.</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>For a nation: its entitlement, a fraction of the federation. For a consortium: its quota, a fraction of this nation's accelerators; null without one.</summary>
    [Id(1)] public double? Entitlement { get; init; }

    /// <summary>Decayed usage, accelerator-hours: for a nation, the federation's (this nation's ledger plus what peers reported); for a consortium, this nation's ledger.</summary>
    [Id(2)] public double Usage { get; init; }

    /// <summary>The fair-share factor 2^(−U/S) (nations only; 0.5 means exactly at the entitlement).</summary>
    [Id(3)] public double? Factor { get; init; }

    /// <summary>Accelerators its runs hold here now.</summary>
    [Id(4)] public int Held { get; init; }

    /// <summary>Of <see cref="Held"/>, accelerators held on borrowed (reclaimable) capacity.</summary>
    [Id(5)] public int Borrowed { get; init; }
}
