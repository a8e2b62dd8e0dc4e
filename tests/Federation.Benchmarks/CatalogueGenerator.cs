using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Federation.Silo.Api.Requests;

namespace Federation.Benchmarks;

/// <summary>
/// A synthetic but plausible national catalogue: datasets of eight domains across regions and
/// years, with varied titles, descriptions, tags, licences and data-use conditions, so that text
/// search and filters select realistic fractions. The same seed and index always give the same dataset.
/// </summary>
internal sealed class CatalogueGenerator(int seed)
{
    /// <summary>A term of titles and descriptions that matches a few percent of the catalogue.</summary>
    public const string CommonTerm = "hospital";

    /// <summary>A tag carried by one domain's datasets.</summary>
    public const string CommonTag = "air-quality";

    private static readonly Domain[] s_domains =
    [
        new("health", ["health"], ["dicom", "parquet", "csv"],
            ["hospital admissions", "cancer registry", "vaccination coverage", "emergency department visits", "outpatient prescriptions",
             "birth cohort", "mortality statistics", "mental health survey", "genomic variants", "clinical trial outcomes", "hospital bed occupancy"],
            ["epidemiology", "clinical", "public-health", "registry", "personal-data", "pseudonymised", "oncology", "paediatrics"],
            ["the regional health agency", "a university hospital", "the national cancer institute", "the public health observatory"]),
        new("environment", ["environment"], ["netcdf", "csv", "parquet"],
            ["air quality measurements", "river gauge levels", "soil moisture", "weather station observations", "forest inventory",
             "coastal erosion", "biodiversity survey", "greenhouse gas inventory", "noise mapping"],
            ["air-quality", "climate", "hydrology", "biodiversity", "time-series", "geospatial", "emissions", "sensors"],
            ["the national weather service", "the environment agency", "a regional air-quality network", "the geological survey"]),
        new("agriculture", ["agriculture"], ["csv", "parquet", "geotiff"],
            ["crop yields", "livestock census", "irrigation withdrawals", "pesticide sales", "farm holdings", "vineyard parcels", "organic farming"],
            ["farming", "food", "land-use", "geospatial", "statistics", "water"],
            ["the ministry of agriculture", "the chamber of agriculture", "a farmers' cooperative", "the land registry"]),
        new("transport", ["transport", "mobility"], ["csv", "parquet", "gtfs"],
            ["traffic counts", "rail punctuality", "bus ridership", "road accidents", "bicycle counters", "port freight", "airport passengers"],
            ["mobility", "traffic", "public-transport", "safety", "time-series", "logistics"],
            ["the transport authority", "the national rail operator", "a metropolitan transit agency", "the road safety observatory"]),
        new("energy", ["energy"], ["parquet", "csv"],
            ["electricity consumption", "solar generation", "wind farm output", "grid frequency", "building energy performance", "gas network flows"],
            ["electricity", "renewables", "grid", "buildings", "time-series", "emissions"],
            ["the transmission system operator", "the energy regulator", "a distribution network operator", "the energy agency"]),
        new("society", ["statistics"], ["csv", "parquet", "sdmx"],
            ["population census", "household income survey", "labour force survey", "housing prices", "school enrolment", "election results", "hospital staffing survey"],
            ["census", "demography", "employment", "housing", "education", "survey", "microdata"],
            ["the national statistics office", "the ministry of education", "a municipal open-data portal", "the electoral commission"]),
        new("language", ["language", "text"], ["jsonl", "parquet", "txt"],
            ["parliamentary speech transcripts", "news articles corpus", "library catalogue records", "radio archive transcripts", "court decisions", "hospital discharge letters"],
            ["nlp", "corpus", "french", "legal", "archives", "speech"],
            ["the national library", "the parliament's archive", "a public broadcaster", "the court administration"]),
        new("imagery", ["imagery", "geospatial"], ["geotiff", "zarr", "dicom"],
            ["satellite imagery tiles", "aerial orthophotos", "street-level imagery", "medical imaging scans", "lidar elevation model"],
            ["remote-sensing", "computer-vision", "elevation", "radiology", "mapping"],
            ["the national mapping agency", "the space agency", "a hospital imaging department", "the urban planning office"]),
    ];

    private static readonly string[] s_regions =
    [
        "Brittany", "Normandy", "Occitanie", "Ile-de-France", "Provence", "Alsace", "Hauts-de-France", "Grand Est", "Auvergne",
        "Corsica", "Burgundy", "Nouvelle-Aquitaine", "Pays de la Loire", "Centre-Val de Loire", "Lyon", "Marseille", "Toulouse",
        "Bordeaux", "Nantes", "Lille", "Strasbourg", "National",
    ];

    private static readonly (string Licence, int Weight)[] s_licences =
    [
        ("CC-BY-4.0", 35), ("etalab-2.0", 20), ("ODbL-1.0", 12), ("CC0-1.0", 10), ("CC-BY-SA-4.0", 8), ("CC-BY-NC-4.0", 5),
        ("LicenseRef-restricted-access", 10),
    ];

    private static readonly string[] s_cadence = ["daily", "weekly", "monthly", "quarterly", "annual", "hourly"];

    private static readonly string[] s_diseases = ["MONDO:0004992", "MONDO:0005015", "MONDO:0005148", "MONDO:0005267", "MONDO:0004975"];

    /// <summary>Dataset number <paramref name="index"/> of the catalogue, as the user API's request body.</summary>
    public DatasetRequest Dataset(int index)
    {
        var random = new Random(unchecked((seed * 1_000_003) + index));
        var domain = s_domains[random.Next(s_domains.Length)];
        var topic = Pick(random, domain.Topics);
        var region = Pick(random, s_regions);
        var from = 2000 + random.Next(25);
        var to = Math.Min(2024, from + random.Next(6));
        var cadence = Pick(random, s_cadence);
        var publisher = Pick(random, domain.Publishers);
        var format = Pick(random, domain.Formats);
        var records = (long)Math.Round(Math.Pow(10, 2 + (random.NextDouble() * 6)));
        var size = records * (80 + random.Next(4000));
        var span = from == to ? from.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{from}-{to}");

        var title = random.Next(3) switch
        {
            0 => $"{region} {topic} {span}",
            1 => $"{Capitalise(topic)}, {region}, {span}",
            _ => $"{Capitalise(cadence)} {topic} in {region} ({span})",
        };

        var description = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{Capitalise(cadence)} {topic} for {region}, {span}, published by {publisher}. ")
            .Append(CultureInfo.InvariantCulture, $"About {records:N0} records in {format}; ")
            .Append(Pick(random, [
                "pseudonymised at source, linkable only inside the nation's secure environment.",
                "quality-checked against the previous release; corrections are listed in the changelog.",
                "aggregated to municipality level to prevent re-identification.",
                "raw observations with gaps where stations were offline.",
                "harmonised with the European reference classification.",
            ]));
        if (random.Next(2) == 0)
        {
            description.Append(' ').Append(Pick(random, [
                "Used in the regional planning report.",
                "Updated every release cycle by the data steward.",
                "Contains free-text fields that were screened for personal data.",
                "Geocoded to the national grid.",
                "Suitable for training forecasting models.",
            ]));
        }

        var tags = new List<string>(domain.Tags);
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            tags.Add(Pick(random, domain.ExtraTags));
        }

        if (random.Next(4) == 0)
        {
            tags.Add("open-data");
        }

        var personal = domain.Name == "health" || topic.Contains("hospital", StringComparison.Ordinal);
        var slug = Slug($"{region} {topic} {span}");
        var suffix = string.Create(CultureInfo.InvariantCulture, $"-{index:D6}");
        var id = slug[..Math.Min(slug.Length, 63 - suffix.Length)].TrimEnd('-') + suffix;

        return new DatasetRequest
        {
            Id = id,
            Title = title,
            Description = description.ToString(),
            Location = $"s3://{domain.Name}-data/{id}/{format}",
            SizeBytes = size,
            RecordCount = records,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id))),
            Format = format,
            SchemaSummary = $"{5 + random.Next(60)} columns; keyed by {(domain.Name == "imagery" ? "tile" : "region and date")}",
            Licence = personal ? "LicenseRef-restricted-access" : PickWeighted(random, s_licences),
            Steward = $"Data office of {publisher} <data@{domain.Name}.example.org>",
            Tags = tags,
            Visibility = random.Next(10) == 0 ? "private" : "public",
            Residency = personal
                ? new ResidencyRequest { Kind = "homeOnly" }
                : random.Next(5) == 0 ? new ResidencyRequest { Kind = "listedNations", Nations = ["DE", "BE", "IT"] } : new ResidencyRequest { Kind = "anywhere" },
            DataUse = personal
                ? (random.Next(2) == 0
                    ? new DataUseRequest { Permission = "DS", DiseaseTerm = Pick(random, s_diseases), Modifiers = ["IRB", "NCU"] }
                    : new DataUseRequest { Permission = "HMB", Modifiers = ["IRB"] })
                : new DataUseRequest { Permission = random.Next(3) == 0 ? "GRU" : "NRES" },
        };
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static string PickWeighted(Random random, (string Value, int Weight)[] items)
    {
        var roll = random.Next(items.Sum(i => i.Weight));
        foreach (var (value, weight) in items)
        {
            if ((roll -= weight) < 0)
            {
                return value;
            }
        }

        return items[^1].Value;
    }

    private static string Capitalise(string text) => string.Concat(text[..1].ToUpperInvariant(), text.AsSpan(1));

    private static string Slug(string text)
    {
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        return slug.ToString().Trim('-');
    }

    private sealed record Domain(string Name, string[] Tags, string[] Formats, string[] Topics, string[] ExtraTags, string[] Publishers);
}
