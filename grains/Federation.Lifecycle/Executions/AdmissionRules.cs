using System.Collections.Immutable;
using System.Globalization;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Execution.Workloads;
using Federation.Lifecycle.Shares;
using Federation.Reference;
using Federation.Routing.Accelerators;
using Federation.Routing.Trust;

namespace Federation.Lifecycle.Executions;

/// <summary>
/// This nation's own decision on an offered job, as a pure function of the offer and the
/// <see cref="AdmissionFacts"/> its adapter gathered: final, whatever the origin's router said. The
/// rules, in order: the sender is the job's origin; the nation is not draining; the operator's switches; the workload is on the
/// allow-list, its arguments fit its parameters and its file matches its pin; every input's terms
/// allow it here today; the job's owner holds a data-access grant for each controlled input; an accelerator model in one of the pools fits; foreign jobs stay within the
/// nation's share; the share rules (<see cref="ShareRules"/>: student tier, consortium quota, fair share) allow it. Each refusal names its rule.
/// </summary>
public static class AdmissionRules
{
    /// <summary>The offer does not come from the job's origin.</summary>
    public const string NotFromOrigin = "offer-not-from-origin";

    /// <summary>The nation drains (<c>fedctl nation drain</c>): it admits no new offers, its own jobs' included, which its router sends elsewhere.</summary>
    public const string Draining = "draining";

    /// <summary>The operator refuses every foreign job now (<c>Federation:Admission:RefuseForeignJobs</c>).</summary>
    public const string ForeignJobsRefused = "foreign-jobs-refused";

    /// <summary>The operator refuses jobs from this origin (<c>Federation:Admission:RefuseFrom</c>).</summary>
    public const string OriginRefused = "origin-refused";

    /// <summary>The workload is not on the allow-list.</summary>
    public const string WorkloadNotAllowed = "workload-not-allowed";

    /// <summary>The arguments break the workload's parameter schema.</summary>
    public const string WorkloadArguments = "workload-arguments";

    /// <summary>The workload's file no longer matches its sha256 pin.</summary>
    public const string WorkloadVerification = "workload-verification";

    /// <summary>An input's residency, data use or terms do not allow the job here.</summary>
    public const string InputTerms = "input-terms";

    /// <summary>A federated job's inputs do not let this nation receive their updates (export policy, data use, too few contributors).</summary>
    public const string FederatedInputTerms = "federated-input-terms";

    /// <summary>A controlled input of this nation's needs a data-access grant that the job's owner does not hold.</summary>
    public const string DataAccessGrant = "data-access-grant";

    /// <summary>No accelerator model in any pool fits the request.</summary>
    public const string NoFit = "no-accelerator-fits";

    /// <summary>Foreign jobs would hold more than the nation's share (<c>MaxForeignShare</c>).</summary>
    public const string ForeignShare = "foreign-share";

    /// <summary>Decides on <paramref name="offer"/> from <paramref name="from"/> with <paramref name="facts"/>.</summary>
    public static AdmissionVerdict Decide(NationCode from, JobOffer offer, AdmissionFacts facts, ReferenceTables reference)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(reference);
        var local = facts.Local;
        if (from != offer.Job.Origin)
        {
            return new(NotFromOrigin, $"only the job's origin ({offer.Job.Origin}) may offer it, not {from}");
        }

        if (facts.Draining is { } draining)
        {
            return new(Draining, $"{local} is draining and admits no new jobs{(draining.Length == 0 ? "" : $" ({draining})")}");
        }

        var foreign = from != local;
        if (foreign && facts.RefuseForeignJobs)
        {
            return new(ForeignJobsRefused, $"{local} admits no jobs from other nations now (Federation:Admission:RefuseForeignJobs)");
        }

        if (facts.RefuseFrom.Contains(from.Value))
        {
            return new(OriginRefused, $"{local} does not admit jobs from {from} (Federation:Admission:RefuseFrom)");
        }

        if (facts.Workload is not { } workload)
        {
            return new(WorkloadNotAllowed, $"workload {offer.Spec.Workload} is not on {local}'s allow-list ({(facts.AllowList.IsDefaultOrEmpty ? "empty" : string.Join(", ", facts.AllowList))})");
        }

        var arguments = WorkloadCatalogue.CheckArguments(workload, offer.Spec.Workload.Arguments);
        if (arguments.Count > 0)
        {
            return new(WorkloadArguments, $"the arguments do not fit {workload.Key}'s parameters: {string.Join("; ", arguments.Select(a => $"{a.Argument}: {a.Reason}"))}");
        }

        if (facts.WorkloadMismatch is { } mismatch)
        {
            return new(WorkloadVerification, mismatch);
        }

        // A federated job's inputs are trained at home, not here: this nation must be allowed to receive their updates instead.
        var refusals = offer.Spec.Federated is null
            ? OfferInputCheck.Check(offer.Spec, local, facts.Today, facts.Inputs)
            : FederatedOfferCheck.Check(offer.Spec, local, facts.Today, facts.Inputs);
        if (!refusals.IsEmpty)
        {
            return new(offer.Spec.Federated is null ? InputTerms : FederatedInputTerms, string.Join("; ", refusals));
        }

        if (!facts.AccessRefusals.IsDefaultOrEmpty)
        {
            // The rule leads the reason, so that the origin's job (which keeps reasons, not rules) names it too.
            return new(DataAccessGrant, $"{DataAccessGrant}: {string.Join("; ", facts.AccessRefusals)}");
        }

        var fit = Fit(facts.Pools, offer.Spec.Accelerators, workload.IsSimulated, reference);
        if (fit.Fit is null)
        {
            return fit;
        }

        if (foreign && facts.ForeignShare is { } share && ShareRefusal(share, offer.Spec.Accelerators.Count, local) is { } over)
        {
            return new(ForeignShare, over);
        }

        if (facts.Shares is { } shares)
        {
            var shared = ShareRules.Decide(ShareRequestOf(offer, foreign), shares);
            return shared.Admitted
                ? shared.Borrowed ? fit with { Reason = $"{fit.Reason}; {shared.Reason}" } : fit
                : new(shared.Rule, shared.Reason);
        }

        return fit;
    }

    /// <summary>
    /// The accelerator model that fits <paramref name="want"/> best now over the pools (agent-managed
    /// only for a simulated workload), summed per model: admitted (free now, or queued for it), or
    /// refused by <see cref="NoFit"/> when no model fits at all.
    /// </summary>
    public static AdmissionVerdict Fit(ImmutableArray<PoolLine> pools, AcceleratorRequest want, bool agentPoolsOnly, ReferenceTables reference)
    {
        ArgumentNullException.ThrowIfNull(want);
        var pooled = (pools.IsDefault ? [] : pools)
            .Where(l => !agentPoolsOnly || !l.Slurm)
            .GroupBy(l => l.Slug)
            .Select(g => new AcceleratorCapacity(g.Key, g.Sum(l => l.Free), g.Sum(l => l.Total)))
            .ToList();
        if (AcceleratorFit.Best(pooled, c => c, want, reference) is not { } best)
        {
            var has = pooled.Count == 0 ? "no accelerators up" : string.Join("; ", pooled.Select(c => $"{c.Total} x {c.Slug} ({AcceleratorFit.Check(want, c, reference).Reason})"));
            return new(NoFit, $"no accelerator model here fits {AcceleratorFit.Needs(want)} (this nation has {has})");
        }

        return best.Free >= want.Count
            ? new(null, $"{want.Count} x {best.Slug} free now ({best.Free} of {best.Total})", best.Slug)
            : new(null, $"queued for {want.Count} x {best.Slug} ({best.Free} of {best.Total} free now)", best.Slug);
    }

    /// <summary>What the share rules need of <paramref name="offer"/>.</summary>
    public static ShareRequest ShareRequestOf(JobOffer offer, bool foreign)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var spec = offer.Spec;
        return new(offer.Job.Origin.Value, !foreign, spec.Owner.User, spec.Owner.Consortium, spec.Tier, spec.Course, spec.Accelerators.Count, spec.Walltime);
    }

    /// <summary>Why foreign jobs would hold too much with <paramref name="wanted"/> more (<see cref="ForeignShare.Admits"/>), or null.</summary>
    private static string? ShareRefusal(ForeignShare share, int wanted, NationCode local)
    {
        var held = share.ForeignHeld + wanted;
        return !share.Admits(wanted)
            ? string.Create(CultureInfo.InvariantCulture,
                $"foreign jobs would hold {held} of {local}'s {share.Total} accelerators, over its foreign share of {share.MaxShare:P0} (Federation:Nation:MaxForeignShare)")
            : null;
    }
}
