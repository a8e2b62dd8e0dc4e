namespace Federation.Silo.Api.Requests;

/// <summary>Body of POST /api/v1/datasets and PUT /api/v1/datasets/{id}.</summary>
public sealed class DatasetRequest
{
    public string? Id { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? HomeNation { get; set; }
    public string? Location { get; set; }
    public long? SizeBytes { get; set; }
    public long? RecordCount { get; set; }
    public string? Sha256 { get; set; }
    public string? Format { get; set; }
    public string? SchemaSummary { get; set; }
    public string? Licence { get; set; }
    public string? Steward { get; set; }
    public List<string>? Tags { get; set; }
    public string? Visibility { get; set; }
    public ResidencyRequest? Residency { get; set; }
    public DataUseRequest? DataUse { get; set; }
    public DatasetAccessRequest? Access { get; set; }
    public string? Exports { get; set; }
}
