using Federation.Contracts.Ids;

namespace Federation.Routing;

/// <summary>
/// What <see cref="Router.Decide"/> concluded, without the decision record: the nation
/// <see cref="Router.Plan"/> would choose, on which model, at which score, and how many nations could run the job.
/// </summary>
/// <param name="Chosen">The best-ranked feasible nation; null when the job can run nowhere.</param>
/// <param name="Accelerator">The model the job would run on there; null when no nation is chosen.</param>
/// <param name="Total">The chosen nation's weighted score (lower is better); <see cref="double.NaN"/> when no nation is chosen.</param>
/// <param name="Feasible">How many candidate nations no filter excluded.</param>
/// <param name="Candidates">How many candidate nations were assessed.</param>
public readonly record struct RouteChoice(NationCode? Chosen, AcceleratorSlug? Accelerator, double Total, int Feasible, int Candidates);
