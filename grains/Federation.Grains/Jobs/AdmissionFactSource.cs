using System.Collections.Immutable;
using Federation.Contracts.Catalogue;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution.Workloads;
using Federation.Grains.Access;
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
/// capacity and, for a foreign job, what foreign jobs hold or were admitted to hold (both from one capacity ledger snapshot,
/// which counts this offer among the latter if it fits the foreign share: the grain drops that claim when it refuses), and
/// the share facts. It decides nothing itself.
/// </summary>
public sealed class AdmissionFactSource(
    IGrainFactory grains,
    NationCapacity capacity,
    WorkloadCatalogue workloads,
    ReferenceTables reference,
    LocalNation local,
    AdmissionSettings settings,
    IInputTermsVerifier foreignTerms,
    TimeProvider time,
    IDataAccessGate? accessGate = null,
    IShareFactSource? shares = null,
    DrainSwitch? drain = null)
{
    private static readonly TimeSpan s_shareFreshFor = TimeSpan.FromSeconds(5);
    // A reference, so that concurrent offers read it whole.
    private Tuple<DateTimeOffset, double>? _maxShare;

    /// <summary>The facts for deciding <paramref name="offer"/> from <paramref name="from"/>.</summary>
    public async Task<AdmissionFacts> GatherAsync(NationCode from, JobOffer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var workload = workloads.Find(offer.Spec.Workload);
        var foreign = from != local.Code;
        var maxShare = foreign && from == offer.Job.Origin ? await MaxForeignShareAsync() : (double?)null;
        // Under a foreign share, the ledger counts this offer at once (if it fits), so that offers decided at the same moment see each other.
        var reading = await capacity.ReadingAsync(reference, maxShare is { } max && max < 1 && offer.Spec.Accelerators.Count > 0
            ? new ForeignClaim(IExecutionGrain.KeyOf(offer.Job, offer.Epoch), offer.Spec.Accelerators.Count, max)
            : null);
        var accessRefusals = ImmutableArray.CreateBuilder<string>();
        var inputs = await InputsAsync(offer, accessRefusals);
        var facts = new AdmissionFacts
        {
            Local = local.Code,
            Today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime),
            Draining = drain is null ? null : await drain.CurrentAsync() is { Draining: true } draining ? draining.Reason : null,
            RefuseForeignJobs = settings.RefuseForeignJobs,
            RefuseFrom = [.. settings.RefuseFrom],
            Workload = workload,
            AllowList = [.. workloads.All.Select(w => w.Key)],
            WorkloadMismatch = workload is null ? null : await WorkloadCatalogue.VerifyAsync(workload, CancellationToken.None),
            Inputs = inputs,
            AccessRefusals = accessRefusals.ToImmutable(),
            Pools = reading.Pools,
            ForeignShare = maxShare is { } share ? new ForeignShare(share, reading.Pools.Sum(p => p.Total), reading.ForeignHeld) : null,
            Shares = shares is null ? null : await shares.GatherAsync(offer, foreign, reading.Pools.Sum(p => p.Total), reading.Pools.Sum(p => p.Free)),
        };
        // The grain charges the run if it admits on these facts (ExecutionEffects.ChargeAsync), in the admission's commit.
        return facts;
    }

    private async Task<ImmutableDictionary<DatasetRef, InputTerms>> InputsAsync(JobOffer offer, ImmutableArray<string>.Builder accessRefusals)
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
                ? InputTerms.Known(new(input, record.Version, record.Spec.Residency, record.Spec.DataUse) { Exports = record.Spec.Exports })
                : InputTerms.Unknown($"dataset {input} is not in {local.Code}'s catalogue{(record is { Status: CatalogueStatus.Withdrawn } ? " (withdrawn)" : "")}");
            if (record is { Status: CatalogueStatus.Active, Spec.Access.RequiresGrant: true }
                && (accessGate is null
                    ? $"dataset {input} needs a data-access grant and {local.Code} has no data access committee to check one"
                    : await accessGate.CheckAsync(offer, record, CancellationToken.None)) is { } refused)
            {
                accessRefusals.Add(refused);
            }
        }

        return terms.ToImmutable();
    }

    /// <summary>
    /// The nation's <c>MaxForeignShare</c>, read from its profile at most every
    /// <see cref="s_shareFreshFor"/>: it changes rarely, and an offer should not cost a call to the nation grain.
    /// </summary>
    private async Task<double> MaxForeignShareAsync()
    {
        var now = time.GetUtcNow();
        if (_maxShare is { } cached && now - cached.Item1 < s_shareFreshFor)
        {
            return cached.Item2;
        }

        var profile = await grains.GetGrain<INationGrain>(INationGrain.Key).GetAsync();
        var share = profile?.Policies.MaxForeignShare ?? 1.0;
        if (profile is not null)
        {
            _maxShare = Tuple.Create(now, share);
        }

        return share;
    }
}
