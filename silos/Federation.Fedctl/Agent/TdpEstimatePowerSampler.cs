using System.Globalization;
using Federation.Contracts.Ids;
using Federation.Reference;

namespace Federation.Fedctl.Agent;

/// <summary>
/// No measurement: heartbeats carry no power figure, and the silo estimates it as the accelerator
/// table's TDP × count. The description shows that estimate from the shipped table.
/// </summary>
public sealed class TdpEstimatePowerSampler : IPowerSampler
{
    /// <summary>Describes the estimate for <paramref name="count"/> × <paramref name="accelerator"/> in <paramref name="table"/>.</summary>
    public TdpEstimatePowerSampler(AcceleratorSlug? accelerator, int? count, ReferenceTables? table = null)
    {
        var spec = accelerator is { } slug ? (table ?? ReferenceTables.Shipped).FindAccelerator(slug) : null;
        Description = (spec, count) switch
        {
            ({ } s, { } n) => string.Create(CultureInfo.InvariantCulture, $"estimate from the accelerator table: {s.TdpWatts * n:0.#} W ({s.TdpWatts:0.#} W tdp x {n} {s.Slug})"),
            (null, _) when accelerator is { } unknown => $"estimate from the silo's accelerator table (tdp x count; '{unknown}' is not in this fedctl's table)",
            _ => "estimate from the silo's accelerator table (tdp x count; give the accelerator and count to see it here)",
        };
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public Task<double?> SampleWattsAsync(CancellationToken cancellationToken) => Task.FromResult<double?>(null);
}
