using Federation.Contracts.Routing;

namespace Federation.Lifecycle.Jobs;

/// <summary>The planner answers a plan request.</summary>
/// <param name="Attempt">The plan request it answers (<see cref="JobLifecycleState.PlanAttempt"/> when requested).</param>
/// <param name="Decision">The decision, or null when planning failed.</param>
/// <param name="Failure">Why planning failed.</param>
public sealed record PlanCompleted(int Attempt, RoutingDecision? Decision, string? Failure) : JobInput;
