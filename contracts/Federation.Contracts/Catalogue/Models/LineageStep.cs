using Federation.Contracts.Ids;

namespace Federation.Contracts.Catalogue.Models;

/// <summary>One step that produced a model (a local training step, an aggregation, a round), with what it cost.</summary>
/// <param name="Name">What the step was, such as <c>local-train</c> or <c>aggregate</c>.</param>
/// <param name="Nation">Where it ran.</param>
/// <param name="Round">The federated round it belonged to, when any.</param>
/// <param name="EnergyKwh">Energy it used, in kWh.</param>
/// <param name="EmissionsGco2e">Its emissions, in gCO2e.</param>
[GenerateSerializer, Immutable, Alias("fed.LineageStep")]
public sealed record LineageStep(
    [property: Id(0)] string Name,
    [property: Id(1)] NationCode Nation,
    [property: Id(2)] int? Round,
    [property: Id(3)] double EnergyKwh,
    [property: Id(4)] double EmissionsGco2e);
