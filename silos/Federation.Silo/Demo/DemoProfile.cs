using System.Globalization;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;

namespace Federation.Silo.Demo;

/// <summary>
/// What a demo nation holds, so that routing between demo nations shows its reasons: FR a home-only
/// health registry (DS + IRB) and H100s; DE open air-quality data and A100s (on a carbon-heavy grid,
/// by the reference table); SE open imaging data and H100s (on a clean grid). Every nation also has
/// an open speech corpus and a model trained on it; FR, DE, SE and GB each hold home-only patient outcomes
/// that export only masked model updates (for federated training, and for GB to evaluate a model it did not
/// train); other codes get a generic profile.
/// </summary>
/// <param name="Datasets">Its datasets.</param>
/// <param name="Nodes">Its simulated GPU nodes.</param>
public sealed record DemoProfile(IReadOnlyList<DemoDataset> Datasets, IReadOnlyList<DemoNode> Nodes)
{
    /// <summary>The open speech corpus every demo nation has (the lineage of its demo model).</summary>
    public const string SpeechCorpus = "parliament-speech";

    /// <summary>The disease term of FR's health registry (MONDO: cancer).</summary>
    public const string RegistryDisease = "MONDO:0004992";

    /// <summary>The home-only dataset of FR, DE, SE and GB that federated training reads in place.</summary>
    public const string PatientOutcomesId = "patient-outcomes";

    private static readonly Residency s_anywhere = new(ResidencyKind.Anywhere, []);

    /// <summary>The profile of <paramref name="nation"/>.</summary>
    public static DemoProfile For(NationCode nation)
    {
        var code = nation.Value.ToLowerInvariant();
        return nation.Value switch
        {
            "FR" => new([HealthRegistry(), Speech(nation), PatientOutcomes(nation, 0)], [new($"sim-{code}-h100-01", "h100-sxm", 8)]),
            "DE" => new([AirQuality(), Speech(nation), PatientOutcomes(nation, 8)], [new($"sim-{code}-a100-01", "a100-80gb-sxm", 8)]),
            "SE" => new([ImagingOpen(), Speech(nation), PatientOutcomes(nation, -6)], [new($"sim-{code}-h100-01", "h100-sxm", 8)]),
            "GB" => new([OpenStatistics(nation), Speech(nation), PatientOutcomes(nation, 3)], [new($"sim-{code}-l40s-01", "l40s", 4)]),
            _ => new([OpenStatistics(nation), Speech(nation)], [new($"sim-{code}-l40s-01", "l40s", 4)]),
        };
    }

    private static DemoDataset HealthRegistry() => new(
        "health-registry",
        "National cancer registry (synthetic extract)",
        "Synthetic incidence records by region, age band and ICD-10 site. Processed only in FR, for research on cancer with an ethics approval.",
        ["health", "oncology", "registry"],
        Residency.HomeOnly,
        new DataUseConditions(DuoPermission.DS, RegistryDisease, [DuoModifier.IRB], [], [], [], [], null, null),
        "record_id,region,age_band,sex,icd10_site,diagnosis_year,stage",
        4000,
        (i, r) => Invariant($"R{i + 1:000000},{r.Pick("IDF", "ARA", "NAQ", "OCC", "HDF", "GES", "PDL", "BRE", "NOR", "PAC")},{r.Pick("0-14", "15-39", "40-59", "60-74", "75+")},{r.Pick("F", "M")},{r.Pick("C18", "C34", "C50", "C61", "C43", "C67", "C25")},{2015 + r.Next(10)},{r.Pick("I", "II", "III", "IV")}"));

    private static DemoDataset AirQuality() => new(
        "air-quality",
        "Air quality sensors (synthetic hourly readings)",
        "Hourly NO2, PM2.5 and O3 by station; open data, processed anywhere.",
        ["climate", "environment", "air"],
        s_anywhere,
        DataUseConditions.Unrestricted with { Permission = DuoPermission.GRU },
        "station,timestamp,no2_ugm3,pm25_ugm3,o3_ugm3",
        6000,
        (i, r) => Invariant($"{r.Pick("DEBE010", "DEBY004", "DEHH008", "DENW053", "DESN025")},{new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(i):yyyy-MM-ddTHH:mm}Z,{r.Between(5, 80)},{r.Between(2, 45)},{r.Between(10, 120)}"));

    private static DemoDataset ImagingOpen() => new(
        "imaging-open",
        "Open chest X-ray index (synthetic)",
        "Image index with labels and splits for model training; open data, processed anywhere.",
        ["health", "imaging", "radiology"],
        s_anywhere,
        DataUseConditions.Unrestricted with { Permission = DuoPermission.GRU },
        "image_id,modality,body_part,width,height,label,split",
        5000,
        (i, r) => Invariant($"IMG{i + 1:000000},{r.Pick("CR", "DX")},CHEST,{r.Pick("1024", "2048")},{r.Pick("1024", "2048")},{r.Pick("normal", "pneumonia", "effusion", "nodule", "cardiomegaly")},{r.Pick("train", "train", "train", "validation", "test")}"));

    private static DemoDataset OpenStatistics(NationCode nation) => new(
        "open-statistics",
        $"Open regional statistics of {nation.Value} (synthetic)",
        "Population, employment and energy use by region and year; open data, processed anywhere.",
        ["statistics", "open"],
        s_anywhere,
        DataUseConditions.Unrestricted with { Permission = DuoPermission.GRU },
        "region,year,population,employment_rate,energy_gwh",
        4000,
        (i, r) => Invariant($"{nation.Value}{(i % 40) + 1:00},{2000 + (i / 40 % 25)},{50_000 + r.Next(2_000_000)},{r.Between(50, 80)},{r.Between(100, 9000)}"));

    private static DemoDataset Speech(NationCode nation) => new(
        SpeechCorpus,
        "Parliamentary speech corpus (synthetic index)",
        $"Transcribed debates of {nation.Value}'s parliament for language modelling; open data, processed anywhere.",
        ["language", "speech"],
        s_anywhere,
        DataUseConditions.Unrestricted,
        "speech_id,date,party,duration_s,words",
        4000,
        (i, r) => Invariant($"{nation.Value}-S{i + 1:000000},{new DateOnly(2020, 1, 1).AddDays(i / 8):yyyy-MM-dd},{r.Pick("A", "B", "C", "D", "E")},{30 + r.Next(900)},{50 + r.Next(2500)}"));

    /// <summary>
    /// Home-only tabular outcomes for federated training; <paramref name="ageShift"/> moves the nation's age
    /// distribution, so that the nations' data are not identically distributed.
    /// </summary>
    private static DemoDataset PatientOutcomes(NationCode nation, int ageShift) => new(
        PatientOutcomesId,
        $"Patient outcomes of {nation.Value} (synthetic)",
        $"Synthetic records (age, sex, BMI, blood pressure, smoking, outcome) with {nation.Value}'s own distribution. Processed only in {nation.Value}; only masked model updates may leave it, for federated training.",
        ["health", "tabular", "federated"],
        Residency.HomeOnly,
        DataUseConditions.Unrestricted with { Permission = DuoPermission.HMB },
        "record_id,age,sex,bmi,systolic_bp,smoker,outcome",
        2000,
        (i, r) =>
        {
            var age = Math.Clamp(30 + ageShift + r.Next(50), 18, 95);
            var bmi = r.Between(18, 38);
            var pressure = 100 + r.Next(70);
            var smoker = r.Next(4) == 0;
            var risk = (0.04 * (age - 55)) + (0.1 * (bmi - 26)) + (0.03 * (pressure - 135)) + (smoker ? 0.8 : 0) + r.Between(-0.5, 0.5);
            return Invariant($"{nation.Value}-P{i + 1:000000},{age},{r.Pick("F", "M")},{bmi},{pressure},{(smoker ? 1 : 0)},{(risk > 0 ? 1 : 0)}");
        })
    {
        Exports = ExportPolicy.MaskedUpdates,
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
