using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Federation.Conventions.Tests;

/// <summary>[Immutable] lets Orleans skip copies, so it goes only on types that really cannot change.</summary>
public sealed class ImmutableConventionsTests
{
    private static readonly Type[] s_immutableTypes = [.. ConventionTypes.All.Where(t => t.IsDefined(typeof(ImmutableAttribute), inherit: false))];

    private static readonly HashSet<Type> s_mutableCollections =
    [
        typeof(List<>), typeof(Dictionary<,>), typeof(HashSet<>), typeof(SortedDictionary<,>), typeof(SortedList<,>),
        typeof(SortedSet<>), typeof(Queue<>), typeof(Stack<>), typeof(LinkedList<>), typeof(ConcurrentDictionary<,>),
        typeof(IList<>), typeof(ICollection<>), typeof(IDictionary<,>), typeof(ISet<>),
    ];

    [Fact]
    public void ImmutableTypes_Scan_FindsTheRecords()
    {
        Assert.Contains(s_immutableTypes, t => t.Name == "DatasetRecord");
        Assert.Contains(s_immutableTypes, t => t.Name == "DatasetId");
    }

    [Fact]
    public void ImmutableTypes_PublicSetters_AreInitOnly()
    {
        var violations = new List<string>();
        foreach (var type in s_immutableTypes)
        {
            violations.AddRange(type.GetProperties(BindingFlags.Instance | BindingFlags.Public)
                .Where(p => p.SetMethod is { IsPublic: true } setter && !IsInitOnly(setter))
                .Select(p => $"{type.FullName}.{p.Name}: public setter on an [Immutable] type (use init)"));
            violations.AddRange(type.GetFields(BindingFlags.Instance | BindingFlags.Public)
                .Where(f => !f.IsInitOnly)
                .Select(f => $"{type.FullName}.{f.Name}: public writable field on an [Immutable] type"));
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void ImmutableTypes_Members_AreNotMutableCollections()
    {
        var violations = new List<string>();
        foreach (var type in s_immutableTypes)
        {
            const BindingFlags All = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
            violations.AddRange(type.GetFields(All).Select(f => (f.Name, f.FieldType))
                .Concat(type.GetProperties(All).Select(p => (p.Name, FieldType: p.PropertyType)))
                .Where(m => IsMutableCollection(m.FieldType))
                .Select(m => $"{type.FullName}.{m.Name}: {ConventionTypes.Describe(m.FieldType)} is a mutable collection on an [Immutable] type (use an immutable collection)"));
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations.Distinct(StringComparer.Ordinal)));
    }

    [Fact]
    public void IsMutableCollection_ListArrayAndImmutableArray_AreToldApart()
    {
        Assert.True(IsMutableCollection(typeof(List<string>)));
        Assert.True(IsMutableCollection(typeof(string[])));
        Assert.True(IsMutableCollection(typeof(Dictionary<string, int>)));
        Assert.False(IsMutableCollection(typeof(System.Collections.Immutable.ImmutableArray<string>)));
        Assert.False(IsMutableCollection(typeof(string)));
    }

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));

    private static bool IsMutableCollection(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsArray || (underlying.IsGenericType && s_mutableCollections.Contains(underlying.GetGenericTypeDefinition()));
    }
}
