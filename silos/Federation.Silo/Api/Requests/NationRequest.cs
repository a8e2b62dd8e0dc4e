namespace Federation.Silo.Api.Requests;

/// <summary>Body of PUT /api/v1/nation.</summary>
public sealed class NationRequest
{
    public string? Code { get; set; }
    public string? Name { get; set; }
    public double? Pue { get; set; }
    public string? GridZone { get; set; }
    public string? ApiEndpoint { get; set; }
    public string? FederationEndpoint { get; set; }
    public ResidencyRequest? DefaultResidency { get; set; }
    public string? DefaultVisibility { get; set; }
    public double? MaxForeignShare { get; set; }
}
