namespace Federation.Contracts.Jobs.Requests;

/// <summary>What a job is for, in DUO terms, with the requester's attributes that modifiers ask about.</summary>
public sealed class JobPurposeRequest
{
    /// <summary>GRU, HMB, DS, POA or CC.</summary>
    public string? Use { get; set; }

    /// <summary>For DS: the disease term, e.g. MONDO:0004992.</summary>
    public string? DiseaseTerm { get; set; }

    /// <summary>A genetic study.</summary>
    public bool? Genetic { get; set; }

    /// <summary>Develops general methods or software.</summary>
    public bool? MethodsDevelopment { get; set; }

    /// <summary>Commercial use.</summary>
    public bool? Commercial { get; set; }

    /// <summary>Requested by a for-profit organisation.</summary>
    public bool? ForProfit { get; set; }

    /// <summary>Ethics approval reference.</summary>
    public string? EthicsApprovalReference { get; set; }

    /// <summary>The requester's institution.</summary>
    public string? Institution { get; set; }

    /// <summary>The project.</summary>
    public string? Project { get; set; }

    /// <summary>Collaboration with the data's investigators agreed.</summary>
    public bool? CollaboratorAgreed { get; set; }

    /// <summary>Publication of results committed.</summary>
    public bool? PublicationCommitted { get; set; }

    /// <summary>Return of results to the resource committed.</summary>
    public bool? ReturnCommitted { get; set; }

    /// <summary>Earliest planned publication day.</summary>
    public DateOnly? PublicationPlannedOn { get; set; }
}
