using System.Collections.Frozen;
using System.Globalization;
using Federation.Contracts.Ids;

namespace Federation.Reference;

/// <summary>The accelerator and grid-intensity tables: shipped figures plus configured overrides.</summary>
public sealed class ReferenceTables
{
    /// <summary>Source named for figures that come from configuration.</summary>
    public const string ConfigurationSource = "configuration (Federation:Reference)";

    private readonly FrozenDictionary<string, AcceleratorSpec> _accelerators;
    private readonly FrozenDictionary<string, GridIntensity> _grid;

    private ReferenceTables(IEnumerable<AcceleratorSpec> accelerators, IEnumerable<GridIntensity> grid)
    {
        _accelerators = accelerators.ToFrozenDictionary(a => a.Slug.Value, StringComparer.Ordinal);
        _grid = grid.ToFrozenDictionary(g => g.Zone, StringComparer.Ordinal);
    }

    /// <summary>All accelerators, by slug.</summary>
    public IEnumerable<AcceleratorSpec> Accelerators => _accelerators.Values.OrderBy(a => a.Slug.Value, StringComparer.Ordinal);

    /// <summary>All grid zones, by code.</summary>
    public IEnumerable<GridIntensity> GridZones => _grid.Values.OrderBy(g => g.Zone, StringComparer.Ordinal);

    /// <summary>The accelerator with <paramref name="slug"/>, or null when unknown.</summary>
    public AcceleratorSpec? FindAccelerator(AcceleratorSlug slug) => _accelerators.GetValueOrDefault(slug.Value);

    /// <summary>The grid intensity of <paramref name="zone"/>, or null when unknown.</summary>
    public GridIntensity? FindGridZone(string zone) => _grid.GetValueOrDefault(zone);

    /// <summary>The shipped tables alone.</summary>
    public static ReferenceTables Shipped { get; } = Load(new ReferenceOverrides());

    /// <summary>The shipped tables with <paramref name="overrides"/> applied.</summary>
    /// <exception cref="ArgumentException">An override names an invalid slug or misses a figure a new entry needs.</exception>
    public static ReferenceTables Load(ReferenceOverrides overrides)
    {
        var accelerators = ReadResource("accelerators.csv").Select(ParseAccelerator)
            .ToDictionary(a => a.Slug.Value, StringComparer.Ordinal);
        foreach (var (slugText, o) in overrides.Accelerators)
        {
            if (!AcceleratorSlug.TryParse(slugText, out var slug, out var error))
            {
                throw new ArgumentException($"Federation:Reference:Accelerators: {error}", nameof(overrides));
            }

            accelerators[slug.Value] = accelerators.TryGetValue(slug.Value, out var shipped)
                ? shipped with
                {
                    Model = o.Model ?? shipped.Model,
                    Vendor = o.Vendor ?? shipped.Vendor,
                    MemoryGb = o.MemoryGb ?? shipped.MemoryGb,
                    TdpWatts = o.TdpWatts ?? shipped.TdpWatts,
                    Bf16DenseTflops = o.Bf16DenseTflops ?? shipped.Bf16DenseTflops,
                    Fp32Tflops = o.Fp32Tflops ?? shipped.Fp32Tflops,
                    Fp16TensorTflops = o.Fp16TensorTflops ?? shipped.Fp16TensorTflops,
                    Source = ConfigurationSource,
                }
                : new AcceleratorSpec(
                    slug,
                    o.Model ?? throw Missing(slugText, "Model"),
                    o.Vendor ?? "",
                    o.MemoryGb ?? throw Missing(slugText, "MemoryGb"),
                    o.TdpWatts ?? throw Missing(slugText, "TdpWatts"),
                    o.Bf16DenseTflops,
                    o.Fp32Tflops,
                    ConfigurationSource,
                    o.Fp16TensorTflops);
        }

        var grid = ReadResource("grid_carbon_intensity.csv").Select(ParseGrid).ToDictionary(g => g.Zone, StringComparer.Ordinal);
        foreach (var (zone, value) in overrides.GridIntensity)
        {
            if (value < 0)
            {
                throw new ArgumentException($"Federation:Reference:GridIntensity:{zone} must be >= 0 gCO2e/kWh, got {value}.", nameof(overrides));
            }

            grid[zone] = grid.TryGetValue(zone, out var shipped)
                ? shipped with { Gco2PerKwh = value, Source = ConfigurationSource }
                : new GridIntensity(zone, zone, value, DateTime.UtcNow.Year, ConfigurationSource);
        }

        return new ReferenceTables(accelerators.Values, grid.Values);
    }

    private static ArgumentException Missing(string slug, string field) =>
        new($"Federation:Reference:Accelerators:{slug}:{field} is required for an accelerator that is not in the shipped table.");

    private static List<Dictionary<string, string>> ReadResource(string name)
    {
        using var stream = typeof(ReferenceTables).Assembly.GetManifestResourceStream($"Federation.Reference.Data.{name}")
            ?? throw new InvalidOperationException($"Embedded table {name} is missing from Federation.Reference.");
        using var reader = new StreamReader(stream);
        return Csv.Read(reader);
    }

    private static AcceleratorSpec ParseAccelerator(Dictionary<string, string> row) => new(
        TypedId.Parse<AcceleratorSlug>(row["slug"]),
        row["model"],
        row["vendor"],
        Number(row["memory_gb"]) ?? 0,
        Number(row["tdp_w"]) ?? 0,
        Number(row["bf16_dense_tflops"]),
        Number(row["fp32_tflops"]),
        row["source"],
        Number(row["fp16_tensor_tflops"]));

    private static GridIntensity ParseGrid(Dictionary<string, string> row) => new(
        row["country_code"],
        row["country"],
        Number(row["gco2_per_kwh"]) ?? 0,
        int.Parse(row["year"], CultureInfo.InvariantCulture),
        row["source"]);

    private static double? Number(string text) =>
        string.IsNullOrWhiteSpace(text) ? null : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
