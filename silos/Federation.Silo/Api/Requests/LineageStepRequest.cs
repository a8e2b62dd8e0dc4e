namespace Federation.Silo.Api.Requests;

/// <summary>One step of a model's lineage in a model body.</summary>
public sealed class LineageStepRequest
{
    /// <summary>What the step was, such as <c>local-train</c> or <c>aggregate</c>.</summary>
    public string? Name { get; set; }

    /// <summary>The nation where it ran.</summary>
    public string? Nation { get; set; }

    /// <summary>Its federated round, from 1.</summary>
    public int? Round { get; set; }

    /// <summary>Energy in kWh.</summary>
    public double? EnergyKwh { get; set; }

    /// <summary>Emissions in gCO2e.</summary>
    public double? EmissionsGco2e { get; set; }
}
