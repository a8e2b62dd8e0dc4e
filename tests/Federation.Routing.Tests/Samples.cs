using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Jobs;
using Federation.Contracts.Ids;

namespace Federation.Routing.Tests;

internal static class Samples
{
    public static NationCode FR { get; } = TypedId.Parse<NationCode>("FR");

    public static NationCode DE { get; } = TypedId.Parse<NationCode>("DE");

    public static NationCode SE { get; } = TypedId.Parse<NationCode>("SE");

    public static DateOnly Today { get; } = new(2025, 6, 1);

    public static Purpose Purpose(ResearchCategory category = ResearchCategory.HealthMedicalBiomedical, string? disease = null) => new()
    {
        Category = category,
        DiseaseTerm = disease,
        User = "alice",
        ProcessingNation = FR,
        Date = Today,
    };

    public static DataUseConditions Conditions(DuoPermission permission, string? disease = null, params DuoModifier[] modifiers) =>
        DataUseConditions.Unrestricted with { Permission = permission, DiseaseTerm = disease, Modifiers = [.. modifiers] };

    public static DataUseConditions With(params DuoModifier[] modifiers) => Conditions(DuoPermission.GRU, null, modifiers);
}
