using Federation.Contracts.Routing;
using Federation.Silo.Api;

namespace Federation.Silo.Routing;

/// <summary>What <see cref="RoutePlanner.PlanAsync"/> concluded: a decision, or why there is none.</summary>
/// <param name="Decision">The decision record, when the job could be planned (even if it can run nowhere).</param>
/// <param name="Errors">Fields of the job that name things that do not exist (400).</param>
/// <param name="Unavailable">Why a fact the plan needs could not be read from another nation now (503).</param>
public sealed record RoutePlan(RoutingDecision? Decision, ValidationErrors? Errors, string? Unavailable);
