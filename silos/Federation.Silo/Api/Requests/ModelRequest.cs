namespace Federation.Silo.Api.Requests;

/// <summary>Body of POST /api/v1/models and PUT /api/v1/models/{name}/versions/{version}.</summary>
public sealed class ModelRequest
{
    public string? Name { get; set; }
    public string? Version { get; set; }
    public string? Sha256 { get; set; }
    public string? Format { get; set; }
    public long? SizeBytes { get; set; }
    public string? Licence { get; set; }
    public string? BaseModel { get; set; }
    public LineageRequest? Lineage { get; set; }
    public Dictionary<string, double>? Metrics { get; set; }
    public double? EnergyKwh { get; set; }
    public double? EmissionsGco2e { get; set; }
    public string? Description { get; set; }
    public ModelRestrictionsRequest? Restrictions { get; set; }
}
