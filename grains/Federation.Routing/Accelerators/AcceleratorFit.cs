using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Reference;

namespace Federation.Routing.Accelerators;

/// <summary>
/// The one accelerator-fit rule, the same for the router (a nation's advert), admission (this
/// nation's pools) and allocation (the pool a run starts in). A model fits a request when:
/// the request allows the model; the model is in the accelerator table (its memory and power are
/// known); it has at least the memory asked for per accelerator; and there are at least as many of
/// it, in total, as the job runs on. How many are free now decides only the order, not the fit.
/// </summary>
public static class AcceleratorFit
{
    /// <summary>True when <paramref name="total"/> accelerators of <paramref name="slug"/> fit <paramref name="want"/>.</summary>
    public static bool Fits(AcceleratorRequest want, AcceleratorSlug slug, int total, ReferenceTables reference) =>
        Fits(want, slug, total, reference, out _);

    /// <summary>True when <paramref name="total"/> accelerators of <paramref name="slug"/> fit <paramref name="want"/>; then <paramref name="spec"/> holds the model's figures.</summary>
    public static bool Fits(AcceleratorRequest want, AcceleratorSlug slug, int total, ReferenceTables reference, [NotNullWhen(true)] out AcceleratorSpec? spec)
    {
        ArgumentNullException.ThrowIfNull(want);
        ArgumentNullException.ThrowIfNull(reference);
        spec = want.Count >= 1 && total >= want.Count ? reference.FindAccelerator(slug) : null;
        if (!Fits(want, slug, total, spec))
        {
            spec = null;
            return false;
        }

        return true;
    }

    /// <summary>The same rule with the model's figures already looked up in the accelerator table (null: not in it).</summary>
    internal static bool Fits(AcceleratorRequest want, AcceleratorSlug slug, int total, [NotNullWhen(true)] AcceleratorSpec? found) =>
        want.Count >= 1 && total >= want.Count && want.Allows(slug) && found is not null && found.MemoryGb >= want.MinMemoryGb;

    /// <summary>The verdict on <paramref name="capacity"/> for <paramref name="want"/>, with the first rule it breaks.</summary>
    public static FitVerdict Check(AcceleratorRequest want, AcceleratorCapacity capacity, ReferenceTables reference)
    {
        ArgumentNullException.ThrowIfNull(capacity);
        if (Fits(want, capacity.Slug, capacity.Total, reference, out var spec))
        {
            return new FitVerdict(true, null, spec);
        }

        var found = reference.FindAccelerator(capacity.Slug);
        var reason = want.Count < 1 ? $"the job asks for {want.Count} accelerators; 1 or more"
            : !want.Allows(capacity.Slug) ? $"model: {capacity.Slug} is not one the job allows ({string.Join(" or ", want.Models)})"
            : found is null ? $"table: {capacity.Slug} is not in the accelerator table, so its memory and power are unknown"
            : found.MemoryGb < want.MinMemoryGb ? string.Create(CultureInfo.InvariantCulture, $"memory: {capacity.Slug} has {found.MemoryGb:0.#} GB; the job needs at least {want.MinMemoryGb:0.#} GB")
            : $"count: {capacity.Total} x {capacity.Slug} in all; the job needs {want.Count}";
        return new FitVerdict(false, reason, null);
    }

    /// <summary>
    /// The option that fits best now: of those that fit, one with enough free accelerators before one
    /// without, then the most free; the first of equals. Null when none fits.
    /// </summary>
    /// <param name="options">Pools or models with their capacity.</param>
    /// <param name="capacity">The capacity of an option.</param>
    /// <param name="want">The job's request.</param>
    /// <param name="reference">The accelerator table.</param>
    public static T? Best<T>(IEnumerable<T> options, Func<T, AcceleratorCapacity> capacity, AcceleratorRequest want, ReferenceTables reference)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(capacity);
        T? best = null;
        var bestReady = false;
        var bestFree = 0;
        foreach (var option in options)
        {
            var c = capacity(option);
            if (!Fits(want, c.Slug, c.Total, reference))
            {
                continue;
            }

            var ready = c.Free >= want.Count;
            if (best is null || (ready && !bestReady) || (ready == bestReady && c.Free > bestFree))
            {
                (best, bestReady, bestFree) = (option, ready, c.Free);
            }
        }

        return best;
    }

    /// <summary>What the job needs, for reasons: e.g. <c>2 x h100-sxm or a100-80gb-sxm with at least 40 GB</c>, <c>1 x any accelerator</c>.</summary>
    public static string Needs(AcceleratorRequest want)
    {
        ArgumentNullException.ThrowIfNull(want);
        return $"{want.Count} x "
            + (want.Models.IsDefaultOrEmpty ? "any accelerator" : string.Join(" or ", want.Models))
            + (want.MinMemoryGb > 0 ? string.Create(CultureInfo.InvariantCulture, $" with at least {want.MinMemoryGb:0.#} GB") : "");
    }
}
