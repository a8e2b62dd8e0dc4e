namespace Federation.Silo.Api.Requests;

/// <summary>Body of POST /api/v1/nodes/{id}:drain.</summary>
public sealed class DrainRequest
{
    /// <summary>True to drain, false to resume.</summary>
    public bool? Draining { get; set; }
}
