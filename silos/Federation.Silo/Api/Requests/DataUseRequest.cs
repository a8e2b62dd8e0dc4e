namespace Federation.Silo.Api.Requests;

/// <summary>Data-use conditions in GA4GH DUO terms.</summary>
public sealed class DataUseRequest
{
    /// <summary>NRES, GRU, HMB, DS or POA.</summary>
    public string? Permission { get; set; }

    /// <summary>For DS: a disease term such as MONDO:0004992.</summary>
    public string? DiseaseTerm { get; set; }

    /// <summary>DUO modifier codes.</summary>
    public List<string>? Modifiers { get; set; }

    /// <summary>For GS: allowed nations.</summary>
    public List<string>? Nations { get; set; }

    /// <summary>For IS: allowed institutions.</summary>
    public List<string>? Institutions { get; set; }

    /// <summary>For US: allowed users.</summary>
    public List<string>? Users { get; set; }

    /// <summary>For PS: allowed projects.</summary>
    public List<string>? Projects { get; set; }

    /// <summary>For TS: last day of permitted use (yyyy-mm-dd).</summary>
    public DateOnly? ValidUntil { get; set; }

    /// <summary>For MOR: publication moratorium end (yyyy-mm-dd).</summary>
    public DateOnly? MoratoriumUntil { get; set; }
}
