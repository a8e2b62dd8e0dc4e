using Federation.Contracts.Peers;

namespace Federation.Silo.Overview;

/// <summary>One nation of the roster as the overview shows it.</summary>
/// <param name="Code">Nation code.</param>
/// <param name="Name">The roster's name; the advert's own name follows in brackets when it differs.</param>
/// <param name="IsLocal">True for this nation.</param>
/// <param name="Health"><c>this nation</c>, <c>reachable</c>, <c>unreachable</c> or <c>unknown</c>.</param>
/// <param name="HealthReason">Why, when a peer is not reachable.</param>
/// <param name="Protocols">Protocol versions spoken (from the advert, else the roster), comma-separated.</param>
/// <param name="Accelerators">Free and total accelerators per model.</param>
/// <param name="GridIntensity">Grid carbon intensity, gCO2e/kWh, when advertised.</param>
/// <param name="GridZone">Grid zone, when advertised.</param>
/// <param name="Pue">Power usage effectiveness, when advertised.</param>
/// <param name="Forecast">The intensity forecast, when the advert carries one (none does yet).</param>
/// <param name="ClaimFlags">Claims outside the federation's reference figures.</param>
/// <param name="Log">What the peer's signed transparency-log heads showed (<c>consistent</c>, <c>unchecked</c>, <c>inconsistent</c>, ...).</param>
/// <param name="LogFlagged">True when the log heads are bad (inconsistent, truncated, bad signature).</param>
/// <param name="LogReason">Why the log is flagged.</param>
/// <param name="LastAdvertAt">When the last advert arrived (peers).</param>
public sealed record NationRow(
    string Code,
    string Name,
    bool IsLocal,
    string Health,
    string? HealthReason,
    string Protocols,
    IReadOnlyList<AcceleratorCapacity> Accelerators,
    double? GridIntensity,
    string? GridZone,
    double? Pue,
    string? Forecast,
    IReadOnlyList<string> ClaimFlags,
    string Log,
    bool LogFlagged,
    string? LogReason,
    DateTimeOffset? LastAdvertAt);
