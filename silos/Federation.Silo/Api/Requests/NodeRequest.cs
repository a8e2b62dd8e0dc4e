namespace Federation.Silo.Api.Requests;

/// <summary>Body of POST /api/v1/nodes and PUT /api/v1/nodes/{id}.</summary>
public sealed class NodeRequest
{
    public string? Id { get; set; }
    public string? Site { get; set; }
    public string? Accelerator { get; set; }
    public int? Count { get; set; }
    public double? MemoryGb { get; set; }
    public double? LeaseSeconds { get; set; }
}
