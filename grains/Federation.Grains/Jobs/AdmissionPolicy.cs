using System.Globalization;
using Federation.Contracts.Catalogue;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Execution;
using Federation.Execution.Workloads;
using Federation.Grains.Catalogue.Index;
using Federation.Grains.Execution;
using Federation.Grains.Nations;
using Federation.Reference;
using Federation.Routing.Accelerators;
using Federation.Routing.Trust;
using Microsoft.Extensions.Logging;

namespace Federation.Grains.Jobs;

/// <summary>
/// This nation's own decision on an offered job: final, whatever the origin's router said. It
/// checks the sender, its admission rules, its allow-list (the workload, its arguments against the
/// parameters, and the sha256 of its file), the conditions of the datasets it holds, and whether an
/// accelerator model in one of its pools fits the request.
/// </summary>
public sealed partial class AdmissionPolicy(
    IGrainFactory grains,
    ICatalogueIndex index,
    NationCapacity capacity,
    WorkloadCatalogue workloads,
    ReferenceTables reference,
    LocalNation local,
    AdmissionSettings settings,
    IInputTermsVerifier foreignTerms,
    TimeProvider time,
    ILogger<AdmissionPolicy> logger)
{
    /// <summary>Decides on <paramref name="offer"/> from <paramref name="from"/>.</summary>
    public async Task<Admission> DecideAsync(NationCode from, JobOffer offer)
    {
        var refusal = await RefusalAsync(from, offer);
        if (refusal is not null)
        {
            LogRefused(logger, offer.Job, offer.Epoch, from, refusal);
            return new Admission(local.Code, offer.Epoch, false, refusal);
        }

        var fit = await FitAsync(offer.Spec.Accelerators, workloads.Find(offer.Spec.Workload)?.IsSimulated ?? true);
        return new Admission(local.Code, offer.Epoch, true, fit.Reason, offer.LeaseSeconds);
    }

    /// <summary>
    /// The accelerator model that fits best now over this nation's pools (agent-managed only for a
    /// simulated workload), and a sentence about it; null model when none fits at all.
    /// </summary>
    public async Task<(AcceleratorSlug? Slug, int Free, string Reason)> FitAsync(AcceleratorRequest want, bool agentPoolsOnly)
    {
        var lines = await capacity.ByPoolAsync();
        var pooled = lines
            .Where(l => !agentPoolsOnly || l.Pool.Kind == NodePoolKind.Agent)
            .GroupBy(l => l.Slug)
            .Select(g => new AcceleratorCapacity(g.Key, g.Sum(l => l.Free), g.Sum(l => l.Total)))
            .ToList();
        if (AcceleratorFit.Best(pooled, c => c, want, reference) is not { } best)
        {
            var has = pooled.Count == 0 ? "no accelerators up" : string.Join("; ", pooled.Select(c => $"{c.Total} x {c.Slug} ({AcceleratorFit.Check(want, c, reference).Reason})"));
            return (null, 0, $"no accelerator model here fits {AcceleratorFit.Needs(want)} (this nation has {has})");
        }

        return best.Free >= want.Count
            ? (best.Slug, best.Free, $"{want.Count} x {best.Slug} free now ({best.Free} of {best.Total})")
            : (best.Slug, best.Free, $"queued for {want.Count} x {best.Slug} ({best.Free} of {best.Total} free now)");
    }

    private async Task<string?> RefusalAsync(NationCode from, JobOffer offer)
    {
        if (from != offer.Job.Origin)
        {
            return $"only the job's origin ({offer.Job.Origin}) may offer it, not {from}";
        }

        var foreign = from != local.Code;
        if (foreign && settings.RefuseForeignJobs)
        {
            return $"{local.Code} admits no jobs from other nations now (Federation:Admission:RefuseForeignJobs)";
        }

        if (settings.RefuseFrom.Contains(from.Value))
        {
            return $"{local.Code} does not admit jobs from {from} (Federation:Admission:RefuseFrom)";
        }

        if (workloads.Find(offer.Spec.Workload) is not { } workload)
        {
            var offered = workloads.All.Select(w => w.Key).ToList();
            return $"workload {offer.Spec.Workload} is not on {local.Code}'s allow-list ({(offered.Count == 0 ? "empty" : string.Join(", ", offered))})";
        }

        var arguments = WorkloadCatalogue.CheckArguments(workload, offer.Spec.Workload.Arguments);
        if (arguments.Count > 0)
        {
            return $"the arguments do not fit {workload.Key}'s parameters: {string.Join("; ", arguments.Select(a => $"{a.Argument}: {a.Reason}"))}";
        }

        if (await WorkloadCatalogue.VerifyAsync(workload, CancellationToken.None) is { } mismatch)
        {
            LogWorkloadMismatch(logger, offer.Job, offer.Epoch, mismatch);
            return mismatch;
        }

        // Every input, this nation's own (its catalogue) and other nations' (the terms their homes signed,
        // attached by the origin), is checked against its residency and data use before admission.
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var terms = new Dictionary<DatasetRef, InputTerms>();
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

        var refusals = OfferInputCheck.Check(offer.Spec, local.Code, today, terms);
        if (!refusals.IsEmpty)
        {
            var reasons = string.Join("; ", refusals);
            LogInputsRefused(logger, offer.Job, from, reasons);
            return reasons;
        }

        var fit = await FitAsync(offer.Spec.Accelerators, workload.IsSimulated);
        if (fit.Slug is null)
        {
            return fit.Reason;
        }

        if (foreign && await ForeignShareRefusalAsync(offer) is { } share)
        {
            return share;
        }

        return null;
    }

    private async Task<string?> ForeignShareRefusalAsync(JobOffer offer)
    {
        var profile = await grains.GetGrain<INationGrain>(INationGrain.Key).GetAsync();
        var share = profile?.Policies.MaxForeignShare ?? 1.0;
        var total = 0;
        var foreignHeld = 0;
        string? after = null;
        do
        {
            var page = await index.QueryNodesAsync(new NodeQuery { After = after, Limit = 500 });
            foreach (var node in page.Items.Where(n => n.State != NodeState.Down))
            {
                total += node.Spec.Count;
                foreignHeld += node.Allocations.Where(a => !a.Holder.StartsWith($"exec-{local.Code}/", StringComparison.Ordinal)).Sum(a => a.Count);
            }

            after = page.NextAfter;
        }
        while (after is not null);

        var wanted = foreignHeld + offer.Spec.Accelerators.Count;
        return total > 0 && wanted > share * total
            ? string.Create(CultureInfo.InvariantCulture,
                $"foreign jobs would hold {wanted} of {local.Code}'s {total} accelerators, over its foreign share of {share:P0} (Federation:Nation:MaxForeignShare)")
            : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused job {Job} epoch {Epoch} offered by {From}: {Reason}")]
    private static partial void LogRefused(ILogger logger, JobRef job, int epoch, NationCode from, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AUDIT: job {Job} epoch {Epoch} refused, its workload failed verification: {Reason}")]
    private static partial void LogWorkloadMismatch(ILogger logger, JobRef job, int epoch, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AUDIT: {From} offered job {Job} on inputs whose terms do not allow it here: {Reasons}")]
    private static partial void LogInputsRefused(ILogger logger, JobRef job, NationCode from, string reasons);
}
