using System.Reflection;
using Federation.Grains;

namespace Federation.Conventions.Tests;

/// <summary>Grain classes: a unique [GrainType], and persistent state whose name is unique (grain type is not part of the ADO.NET storage key).</summary>
public sealed class GrainClassConventionsTests
{

    private static readonly Type[] s_grainClasses =
        [.. ConventionTypes.InGrains.Where(t => t.IsClass && !t.IsAbstract && typeof(Grain).IsAssignableFrom(t))];

    [Fact]
    public void GrainClasses_Scan_FindsTheCatalogueGrains()
    {
        var names = s_grainClasses.Select(t => t.Name).ToList();

        Assert.Contains("DatasetGrain", names);
        Assert.Contains("GpuNodeGrain", names);
        Assert.Contains("ModelArtifactGrain", names);
        Assert.Contains("NationGrain", names);
    }

    [Fact]
    public void GrainClasses_GrainType_IsPresentAndUnique()
    {
        var types = s_grainClasses.Select(t => (Class: t, GrainType: AttributeArguments.FirstString<GrainTypeAttribute>(t))).ToList();
        var violations = types.Where(x => string.IsNullOrEmpty(x.GrainType)).Select(x => $"{x.Class.FullName}: no [GrainType]")
            .Concat(types.Where(x => !string.IsNullOrEmpty(x.GrainType))
                .GroupBy(x => x.GrainType!, StringComparer.Ordinal)
                .Where(g => g.Count() > 1)
                .Select(g => $"[GrainType(\"{g.Key}\")] is on {string.Join(" and ", g.Select(x => x.Class.FullName))}"))
            .ToList();

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void GrainClasses_PersistentStateName_IsUniqueAcrossGrainClasses()
    {
        var states = PersistentStates().ToList();
        var violations = states
            .GroupBy(s => s.StateName, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => $"state name '{g.Key}' is used by {string.Join(" and ", g.Select(s => $"{s.Class.FullName}({s.Parameter})"))}; rows of different grain types with the same key would collide")
            .ToList();

        Assert.NotEmpty(states);
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void GrainClasses_PersistentState_UsesARegisteredStorage()
    {
        // The host registers exactly these providers (in memory when embedded, ADO.NET on PostgreSQL).
        string[] registered = [GrainStorageNames.Catalogue, GrainStorageNames.Jobs];
        var violations = PersistentStates()
            .Where(s => s.StorageName is null || !registered.Contains(s.StorageName, StringComparer.Ordinal))
            .Select(s => $"{s.Class.FullName}({s.Parameter}): storage '{s.StorageName}', expected one of {string.Join(", ", registered)}")
            .ToList();

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    private static IEnumerable<(Type Class, string? Parameter, string StateName, string? StorageName)> PersistentStates() =>
        s_grainClasses.SelectMany(type => type.GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .SelectMany(constructor => constructor.GetParameters())
            .Select(parameter => (Parameter: parameter.Name, Arguments: AttributeArguments.All<PersistentStateAttribute>(parameter)))
            .Where(x => x.Arguments is not null)
            .Select(x => (Class: type, x.Parameter, StateName: (string)x.Arguments![0]!, StorageName: x.Arguments.Count > 1 ? x.Arguments[1] as string : null))
            .DistinctBy(s => s.StateName, StringComparer.Ordinal));
}
