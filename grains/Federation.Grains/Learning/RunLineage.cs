using Federation.Contracts.Ids;
using Federation.Contracts.Learning;
using Federation.Learning.Run;

namespace Federation.Grains.Learning;

/// <summary>The lineage a run's round records give its model (<see cref="FederatedRunLineage"/>). Pure.</summary>
public static class RunLineage
{
    /// <summary>The lineage of <paramref name="job"/>'s run from its <paramref name="history"/>.</summary>
    public static FederatedRunLineage Of(JobRef job, IReadOnlyList<RoundRecord> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var completed = history.Where(r => r.Outcome == "completed").ToList();
        var last = completed.LastOrDefault();
        var budget = history.LastOrDefault(r => r.Budget is not null)?.Budget;
        return new FederatedRunLineage(
            job,
            completed.Count,
            [.. history.SelectMany(r => r.Steps.IsDefault ? [] : r.Steps)],
            last?.ValidationAccuracy,
            last?.ValidationLoss,
            budget?.Epsilon,
            budget?.Delta);
    }
}
