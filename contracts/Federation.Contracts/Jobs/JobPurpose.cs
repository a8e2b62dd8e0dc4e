namespace Federation.Contracts.Jobs;

/// <summary>
/// What a job is for and the requester's attributes that DUO modifiers ask about; compared with
/// every input dataset's data-use conditions by the router and again by each dataset's home.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.JobPurpose")]
public sealed record JobPurpose
{
    /// <summary>What the research is, as a DUO code (GRU, HMB, DS, POA, CC).</summary>
    [Id(0)] public required ResearchCategory Use { get; init; }

    /// <summary>For DS (and clinical care of one disease): the disease term, e.g. <c>MONDO:0004992</c>.</summary>
    [Id(1)] public string? DiseaseTerm { get; init; }

    /// <summary>True for a genetic study (asked by GSO).</summary>
    [Id(2)] public bool Genetic { get; init; }

    /// <summary>True when the work develops general methods, software or algorithms (asked by NMDS).</summary>
    [Id(3)] public bool MethodsDevelopment { get; init; }

    /// <summary>True for commercial use (asked by NCU).</summary>
    [Id(4)] public bool Commercial { get; init; }

    /// <summary>True when the requester is a for-profit organisation (asked by NPU).</summary>
    [Id(5)] public bool ForProfit { get; init; }

    /// <summary>The ethics approval reference, if any (asked by IRB).</summary>
    [Id(6)] public string? EthicsApprovalReference { get; init; }

    /// <summary>The requester's institution (asked by IS).</summary>
    [Id(7)] public string? Institution { get; init; }

    /// <summary>The project the work belongs to (asked by PS and RS).</summary>
    [Id(8)] public string? Project { get; init; }

    /// <summary>True when the requester agreed to collaborate with the data's investigators (asked by COL).</summary>
    [Id(9)] public bool CollaboratorAgreed { get; init; }

    /// <summary>True when the requester committed to publish the results (asked by PUB).</summary>
    [Id(10)] public bool PublicationCommitted { get; init; }

    /// <summary>True when the requester committed to return results to the resource (asked by RTN).</summary>
    [Id(11)] public bool ReturnCommitted { get; init; }

    /// <summary>The earliest day results are planned to be published, if any (asked by MOR).</summary>
    [Id(12)] public DateOnly? PublicationPlannedOn { get; init; }
}
