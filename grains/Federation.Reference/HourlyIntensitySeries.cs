using System.Collections.Frozen;
using System.Globalization;

namespace Federation.Reference;

/// <summary>
/// Hourly grid carbon intensity per zone, read from a CSV file with an <c>hour_utc</c> column and one
/// column per zone (gCO2e/kWh), such as the 2020 series in the design data. A time the series does
/// not cover is looked up at the same month, day and hour of the series' first year, so that a
/// typical-year series serves every year.
/// </summary>
public sealed class HourlyIntensitySeries
{
    private readonly FrozenDictionary<string, FrozenDictionary<DateTime, double>> _zones;
    private readonly int _year;

    private HourlyIntensitySeries(FrozenDictionary<string, FrozenDictionary<DateTime, double>> zones, int year, string source)
    {
        _zones = zones;
        _year = year;
        Source = source;
    }

    /// <summary>Where the series was read from.</summary>
    public string Source { get; }

    /// <summary>The zones the series covers.</summary>
    public IEnumerable<string> Zones => _zones.Keys.Order(StringComparer.Ordinal);

    /// <summary>The intensity of <paramref name="zone"/> in the hour of <paramref name="at"/>, or null when the series has no such zone or hour.</summary>
    public double? Find(string zone, DateTimeOffset at)
    {
        if (!_zones.TryGetValue(zone, out var hours))
        {
            return null;
        }

        var utc = at.UtcDateTime;
        var hour = new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc);
        if (hours.TryGetValue(hour, out var value))
        {
            return value;
        }

        var day = Math.Min(utc.Day, DateTime.DaysInMonth(_year, utc.Month));
        return hours.TryGetValue(new DateTime(_year, utc.Month, day, utc.Hour, 0, 0, DateTimeKind.Utc), out var typical) ? typical : null;
    }

    /// <summary>
    /// The shipped 2020 series for FR, DE and GB (Wiesner et al., Middleware '21; see Data/README.md),
    /// read once from the assembly.
    /// </summary>
    public static HourlyIntensitySeries Shipped2020 => s_shipped2020.Value;

    private static readonly Lazy<HourlyIntensitySeries> s_shipped2020 = new(() =>
    {
        const string Name = "grid_intensity_hourly_2020.csv";
        using var stream = typeof(HourlyIntensitySeries).Assembly.GetManifestResourceStream($"Federation.Reference.Data.{Name}")
            ?? throw new InvalidOperationException($"Embedded series {Name} is missing from Federation.Reference.");
        using var reader = new StreamReader(stream);
        return Read(reader, $"shipped {Name} (Wiesner et al., Middleware '21)");
    });

    /// <summary>Reads a series from <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">The file has no <c>hour_utc</c> column, no rows, or a value that is not a number >= 0.</exception>
    public static HourlyIntensitySeries Load(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads a series from <paramref name="reader"/>; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="FormatException">The text has no <c>hour_utc</c> column, no rows, or a value that is not a number >= 0.</exception>
    public static HourlyIntensitySeries Read(TextReader reader, string source)
    {
        var rows = Csv.Read(reader);
        if (rows.Count == 0 || !rows[0].ContainsKey("hour_utc"))
        {
            throw new FormatException($"{source}: an hourly series needs a header with hour_utc and one column per grid zone, and at least one row.");
        }

        var zones = rows[0].Keys.Where(k => k != "hour_utc").ToDictionary(z => z, _ => new Dictionary<DateTime, double>(), StringComparer.Ordinal);
        var first = int.MaxValue;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (!DateTimeOffset.TryParse(row["hour_utc"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                throw new FormatException($"{source}: row {i + 2}: hour_utc '{row["hour_utc"]}' is not a time.");
            }

            var utc = at.UtcDateTime;
            var hour = new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc);
            first = Math.Min(first, hour.Year);
            foreach (var (zone, hours) in zones)
            {
                var text = row.GetValueOrDefault(zone, "");
                if (text.Length == 0)
                {
                    continue;
                }

                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
                {
                    throw new FormatException($"{source}: row {i + 2}: {zone} '{text}' is not a number >= 0.");
                }

                hours[hour] = value;
            }
        }

        return new HourlyIntensitySeries(zones.ToFrozenDictionary(z => z.Key, z => z.Value.ToFrozenDictionary(), StringComparer.Ordinal), first, source);
    }
}
