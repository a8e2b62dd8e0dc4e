using System.Reflection;

namespace Federation.Conventions.Tests;

/// <summary>Grain interfaces: a "fed." alias equal to their [GrainInterfaceType], and methods named *Async with an [Alias].</summary>
public sealed class GrainInterfaceConventionsTests
{
    private static readonly Type[] s_grainInterfaces =
        [.. ConventionTypes.InContracts.Where(t => t.IsInterface && typeof(IGrain).IsAssignableFrom(t))];

    [Fact]
    public void GrainInterfaces_Scan_FindsTheCatalogueGrains()
    {
        var names = s_grainInterfaces.Select(t => t.Name).ToList();

        Assert.Contains("IDatasetGrain", names);
        Assert.Contains("IGpuNodeGrain", names);
        Assert.Contains("IModelArtifactGrain", names);
        Assert.Contains("INationGrain", names);
    }

    [Fact]
    public void GrainInterfaces_Attributes_HaveFedAliasAndGrainInterfaceType()
    {
        var violations = new List<string>();
        foreach (var type in s_grainInterfaces)
        {
            var alias = type.GetCustomAttribute<AliasAttribute>(inherit: false)?.Alias;
            if (alias is null || !alias.StartsWith("fed.", StringComparison.Ordinal))
            {
                violations.Add($"{type.FullName}: [Alias] is '{alias}', expected one starting with 'fed.'");
            }

            if (AttributeArguments.FirstString<GrainInterfaceTypeAttribute>(type) is null)
            {
                violations.Add($"{type.FullName}: no [GrainInterfaceType]");
            }
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void GrainInterfaces_GrainInterfaceType_EqualsAlias()
    {
        var violations = s_grainInterfaces
            .Select(t => (Type: t, Alias: t.GetCustomAttribute<AliasAttribute>(inherit: false)?.Alias, InterfaceType: AttributeArguments.FirstString<GrainInterfaceTypeAttribute>(t)))
            .Where(x => x.Alias is null || !string.Equals(x.Alias, x.InterfaceType, StringComparison.Ordinal))
            .Select(x => $"{x.Type.FullName}: [Alias(\"{x.Alias}\")] differs from [GrainInterfaceType(\"{x.InterfaceType}\")]")
            .ToList();

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void GrainInterfaceMethods_Name_EndsInAsync()
    {
        var violations = OwnMethods()
            .Where(m => !m.Method.Name.EndsWith("Async", StringComparison.Ordinal))
            .Select(m => $"{m.Interface.FullName}.{m.Method.Name}: grain methods end in 'Async'")
            .ToList();

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void GrainInterfaceMethods_Alias_IsPresentAndUniquePerInterface()
    {
        var violations = new List<string>();
        foreach (var group in OwnMethods().GroupBy(m => m.Interface))
        {
            foreach (var (_, method) in group.Where(m => m.Method.GetCustomAttribute<AliasAttribute>(inherit: false) is null))
            {
                violations.Add($"{group.Key.FullName}.{method.Name}: no [Alias]");
            }

            violations.AddRange(group
                .Select(m => (m.Method, m.Method.GetCustomAttribute<AliasAttribute>(inherit: false)?.Alias))
                .Where(m => m.Alias is not null)
                .GroupBy(m => m.Alias!, StringComparer.Ordinal)
                .Where(g => g.Count() > 1)
                .Select(g => $"{group.Key.FullName}: method alias '{g.Key}' is used {g.Count()} times"));
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    /// <summary>Instance methods declared by the grain interfaces themselves; those of Orleans interfaces (IRemindable, ...) are Orleans' business.</summary>
    private static IEnumerable<(Type Interface, MethodInfo Method)> OwnMethods() =>
        s_grainInterfaces.SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly).Select(m => (t, m)));
}
