namespace Federation.Silo.Drain;

/// <summary>Body of <c>POST /api/v1/nation:drain</c>.</summary>
public sealed class NationDrainRequest
{
    /// <summary>True to drain (the default), false to admit offers again.</summary>
    public bool? Draining { get; set; }

    /// <summary>True to stop the running executions and give them back to their origins, rather than let them finish.</summary>
    public bool? GiveBack { get; set; }

    /// <summary>Why, in at most 200 characters: sent with every refusal and give-back (default: "operator drain").</summary>
    public string? Reason { get; set; }
}
