using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;

namespace Federation.Routing;

/// <summary>
/// The job side of data-use matching: what the research is and the requester's attributes that
/// DUO modifiers ask about. Compared with a dataset's conditions by <see cref="DataUseMatcher"/>.
/// A value: building one allocates nothing, so the router's decision path can check data use for free.
/// </summary>
public readonly record struct Purpose
{
    /// <summary>What the research is.</summary>
    public required ResearchCategory Category { get; init; }

    /// <summary>For <see cref="ResearchCategory.DiseaseSpecific"/> (and clinical care of one disease): the disease term, e.g. <c>MONDO:0004992</c>.</summary>
    public string? DiseaseTerm { get; init; }

    /// <summary>True when the study is a genetic study (asked by GSO, DUO:0000016).</summary>
    public bool Genetic { get; init; }

    /// <summary>True when the work develops general methods, software or algorithms (asked by NMDS, DUO:0000015).</summary>
    public bool MethodsDevelopment { get; init; }

    /// <summary>True for commercial use (asked by NCU, DUO:0000046).</summary>
    public bool Commercial { get; init; }

    /// <summary>True when the requester is a for-profit organisation (asked by NPU, DUO:0000045).</summary>
    public bool ForProfit { get; init; }

    /// <summary>The ethics approval reference, if any (asked by IRB, DUO:0000021).</summary>
    public string? EthicsApprovalReference { get; init; }

    /// <summary>The requester's institution (asked by IS, DUO:0000028).</summary>
    public string? Institution { get; init; }

    /// <summary>The project the work belongs to (asked by PS, DUO:0000027, and RS, DUO:0000012).</summary>
    public string? Project { get; init; }

    /// <summary>The requesting user (asked by US, DUO:0000026).</summary>
    public required string User { get; init; }

    /// <summary>True when the requester agreed to collaborate with the data's investigators (asked by COL, DUO:0000020).</summary>
    public bool CollaboratorAgreed { get; init; }

    /// <summary>True when the requester committed to publish the results (asked by PUB, DUO:0000019).</summary>
    public bool PublicationCommitted { get; init; }

    /// <summary>True when the requester committed to return results to the resource (asked by RTN, DUO:0000029).</summary>
    public bool ReturnCommitted { get; init; }

    /// <summary>The earliest day results are planned to be published, if any (asked by MOR, DUO:0000024).</summary>
    public DateOnly? PublicationPlannedOn { get; init; }

    /// <summary>The nation where the data would be processed (asked by GS, DUO:0000022).</summary>
    public required NationCode ProcessingNation { get; init; }

    /// <summary>The day of use (asked by TS, DUO:0000025).</summary>
    public required DateOnly Date { get; init; }

    /// <summary>The purpose of <paramref name="job"/> when its data would be processed in <paramref name="processingNation"/> on <paramref name="date"/>.</summary>
    public static Purpose Of(JobSpec job, NationCode processingNation, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Of(job.Purpose, job.Owner.User, processingNation, date);
    }

    /// <summary>The purpose <paramref name="declared"/> by <paramref name="user"/> when the data would be processed in <paramref name="processingNation"/> on <paramref name="date"/>.</summary>
    public static Purpose Of(JobPurpose declared, string user, NationCode processingNation, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(declared);
        return new()
        {
            Category = declared.Use,
            DiseaseTerm = declared.DiseaseTerm,
            Genetic = declared.Genetic,
            MethodsDevelopment = declared.MethodsDevelopment,
            Commercial = declared.Commercial,
            ForProfit = declared.ForProfit,
            EthicsApprovalReference = declared.EthicsApprovalReference,
            Institution = declared.Institution,
            Project = declared.Project,
            User = user,
            CollaboratorAgreed = declared.CollaboratorAgreed,
            PublicationCommitted = declared.PublicationCommitted,
            ReturnCommitted = declared.ReturnCommitted,
            PublicationPlannedOn = declared.PublicationPlannedOn,
            ProcessingNation = processingNation,
            Date = date,
        };
    }
}
