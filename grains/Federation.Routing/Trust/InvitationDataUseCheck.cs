using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;

namespace Federation.Routing.Trust;

/// <summary>
/// A contributor's own check of a federated run's invitation against one of its datasets: the job's declared
/// purpose (and its owner, whom DUO's US modifier may name) must meet the dataset's data-use conditions, as this
/// nation's catalogue states them, with the data processed here (its local step runs at home) on
/// <c>today</c>. The router and the aggregator checked the same before; the contributor does not take their word for
/// it. Pure.
/// </summary>
public static class InvitationDataUseCheck
{
    /// <summary>Every reason <paramref name="dataset"/> (with <paramref name="conditions"/>, at home in <paramref name="home"/>) may not serve the invitation's purpose; empty when it may.</summary>
    public static ImmutableArray<string> Check(DatasetRef dataset, DataUseConditions conditions, JobPurpose? purpose, JobOwner? owner, NationCode home, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        if (purpose is null || owner is null)
        {
            return [$"dataset {dataset}: the invitation states no purpose and owner, so {home} cannot check its data-use conditions"];
        }

        var decision = DataUseMatcher.Check(conditions, Purpose.Of(purpose, owner.User, home, today));
        return [.. decision.Reasons.Select(r => $"dataset {dataset}: {r.Text}")];
    }
}
