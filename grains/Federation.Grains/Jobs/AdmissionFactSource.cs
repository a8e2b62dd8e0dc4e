using System.Collections.Immutable;
using Federation.Contracts.Catalogue;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution.Workloads;
using Federation.Grains.Catalogue.Index;
using Federation.Grains.Execution;
using Federation.Grains.Nations;
using Federation.Lifecycle.Executions;
using Federation.Reference;
using Federation.Routing.Trust;

namespace Federation.Grains.Jobs;

/// <summary>
/// Gathers what <see cref="AdmissionRules"/> decides an offer on: the operator's switches, the
/// workload's allow-list entry and its file checked against its pin, the terms of every input (this
/// nation's catalogue for its own datasets, the terms their homes signed for the others), the pools'
/// capacity and, for a foreign job, what foreign jobs hold now. It decides nothing itself.
/// </summary>
public sealed class AdmissionFactSource(
    IGrainFactory grains,
    ICatalogueIndex index,
    NationCapacity capacity,
    WorkloadCatalogue workloads,
    ReferenceTables reference,
    LocalNation local,
    AdmissionSettings settings,
    IInputTermsVerifier foreignTerms,
    TimeProvider time)
{
    private const int NodePage = 500;

    /// <summary>The facts for deciding <paramref name="offer"/> from <paramref name="from"/>.</summary>
    public async Task<AdmissionFacts> GatherAsync(NationCode from, JobOffer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var workload = workloads.Find(offer.Spec.Workload);
        return new AdmissionFacts
        {
            Local = local.Code,
            Today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime),
            RefuseForeignJobs = settings.RefuseForeignJobs,
            RefuseFrom = [.. settings.RefuseFrom],
            Workload = workload,
            AllowList = [.. workloads.All.Select(w => w.Key)],
            WorkloadMismatch = workload is null ? null : await WorkloadCatalogue.VerifyAsync(workload, CancellationToken.None),
            Inputs = await InputsAsync(offer),
            Pools = await capacity.PoolLinesAsync(reference),
            ForeignShare = from != local.Code && from == offer.Job.Origin ? await ForeignShareAsync() : null,
        };
    }

    private async Task<ImmutableDictionary<DatasetRef, InputTerms>> InputsAsync(JobOffer offer)
    {
        var terms = ImmutableDictionary.CreateBuilder<DatasetRef, InputTerms>();
        foreach (var input in offer.Spec.Inputs.IsDefault ? [] : offer.Spec.Inputs)
        {
            if (terms.ContainsKey(input))
            {
                continue;
            }

            if (input.Nation != local.Code)
            {
                terms[input] = foreignTerms.Verify(input, offer.InputTerms.IsDefault ? [] : offer.InputTerms);
                continue;
            }

            var record = await grains.GetGrain<IDatasetGrain>(input.Dataset.GrainKey).GetAsync();
            terms[input] = record is { Status: CatalogueStatus.Active }
                ? InputTerms.Known(new(input, record.Version, record.Spec.Residency, record.Spec.DataUse))
                : InputTerms.Unknown($"dataset {input} is not in {local.Code}'s catalogue{(record is { Status: CatalogueStatus.Withdrawn } ? " (withdrawn)" : "")}");
        }

        return terms.ToImmutable();
    }

    /// <summary>Accelerators in service and those held by other nations' executions, over the nodes that are up.</summary>
    private async Task<ForeignShare> ForeignShareAsync()
    {
        var profile = await grains.GetGrain<INationGrain>(INationGrain.Key).GetAsync();
        var total = 0;
        var foreignHeld = 0;
        var own = $"exec-{local.Code}/";
        string? after = null;
        do
        {
            var page = await index.QueryNodesAsync(new NodeQuery { After = after, Limit = NodePage });
            foreach (var node in page.Items.Where(n => n.State != NodeState.Down))
            {
                total += node.Spec.Count;
                foreignHeld += node.Allocations.Where(a => !a.Holder.StartsWith(own, StringComparison.Ordinal)).Sum(a => a.Count);
            }

            after = page.NextAfter;
        }
        while (after is not null);

        return new ForeignShare(profile?.Policies.MaxForeignShare ?? 1.0, total, foreignHeld);
    }
}
