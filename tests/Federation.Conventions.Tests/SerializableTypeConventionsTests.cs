using System.Reflection;
using System.Runtime.CompilerServices;

namespace Federation.Conventions.Tests;

/// <summary>Every wire type: [GenerateSerializer], a durable "fed." alias, and a distinct [Id] on each member.</summary>
public sealed class SerializableTypeConventionsTests
{
    private const string AliasPrefix = "fed.";

    [Fact]
    public void SerializableTypes_Scan_FindsTheKnownWireTypes()
    {
        var names = ConventionTypes.Serializable.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("DatasetRecord", names);
        Assert.Contains("DatasetId", names);
        Assert.Contains("CommandResult`1", names);
        Assert.Contains("DatasetState", names);
    }

    [Fact]
    public void SerializableTypes_Alias_StartsWithFedPrefix()
    {
        var violations = ConventionTypes.Serializable
            .Select(t => (Type: t, Alias: t.GetCustomAttribute<AliasAttribute>(inherit: false)?.Alias))
            .Where(x => x.Alias is null || !x.Alias.StartsWith(AliasPrefix, StringComparison.Ordinal) || x.Alias.Length == AliasPrefix.Length)
            .Select(x => x.Alias is null
                ? $"{x.Type.FullName} has [GenerateSerializer] but no [Alias]"
                : $"{x.Type.FullName} has alias '{x.Alias}', which is not '{AliasPrefix}' followed by a name")
            .ToList();

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void AliasedTypes_Alias_IsUniqueAcrossAssemblies()
    {
        var duplicates = ConventionTypes.All
            .Select(t => (Type: t, Alias: t.GetCustomAttribute<AliasAttribute>(inherit: false)?.Alias))
            .Where(x => x.Alias is not null)
            .GroupBy(x => x.Alias!, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => $"alias '{g.Key}' is used by {string.Join(", ", g.Select(x => x.Type.FullName))}")
            .ToList();

        Assert.True(duplicates.Count == 0, string.Join(Environment.NewLine, duplicates));
    }

    [Fact]
    public void SerializableTypes_DataMembers_CarryId()
    {
        const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var violations = new List<string>();
        foreach (var type in ConventionTypes.Serializable)
        {
            foreach (var field in type.GetFields(Declared))
            {
                if (field.IsDefined(typeof(IdAttribute)))
                {
                    continue;
                }

                // Auto-properties (positional record members included) keep their [Id] on the property.
                var backing = field.IsDefined(typeof(CompilerGeneratedAttribute)) && field.Name.StartsWith('<')
                    ? type.GetProperty(field.Name[1..field.Name.IndexOf('>', StringComparison.Ordinal)], Declared)
                    : null;
                if (backing?.IsDefined(typeof(IdAttribute)) == true)
                {
                    continue;
                }

                violations.Add(backing is null
                    ? $"{type.FullName}.{field.Name}: field is not serialized (no [Id])"
                    : $"{type.FullName}.{backing.Name}: property is not serialized (no [Id]); a new member needs the next unused Id");
            }
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void SerializableTypes_Ids_AreDistinctPerType()
    {
        var violations = ConventionTypes.Serializable
            .SelectMany(t => SerializedMembers.DeclaredWithId(t)
                .GroupBy(m => m.Id)
                .Where(g => g.Count() > 1)
                .Select(g => $"{t.FullName}: [Id({g.Key})] is on {string.Join(" and ", g.Select(m => m.Member.Name))}"))
            .ToList();

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }
}
