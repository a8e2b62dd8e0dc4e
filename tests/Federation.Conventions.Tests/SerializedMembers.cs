using System.Reflection;

namespace Federation.Conventions.Tests;

/// <summary>The members that the Orleans serializer writes: those carrying [Id], on the type and its generated base types.</summary>
internal static class SerializedMembers
{
    /// <summary>True for types the Orleans code generator serializes member by member.</summary>
    public static bool IsGenerated(Type type) => type.IsDefined(typeof(GenerateSerializerAttribute), inherit: false);

    /// <summary>Members with [Id] declared on <paramref name="type"/> itself (fields and properties).</summary>
    public static IEnumerable<(MemberInfo Member, uint Id)> DeclaredWithId(Type type)
    {
        const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var member in type.GetFields(Declared).Cast<MemberInfo>().Concat(type.GetProperties(Declared)))
        {
            if (member.GetCustomAttribute<IdAttribute>() is { } id)
            {
                yield return (member, id.Id);
            }
        }
    }

    /// <summary>Name and value of every [Id] member of <paramref name="value"/>, base types first.</summary>
    public static IEnumerable<(string Name, object? Value)> Values(object value)
    {
        var chain = new Stack<Type>();
        for (var t = value.GetType(); t is not null && IsGenerated(t); t = t.BaseType)
        {
            chain.Push(t);
        }

        foreach (var type in chain)
        {
            foreach (var (member, _) in DeclaredWithId(type).OrderBy(m => m.Id))
            {
                yield return (member.Name, member switch
                {
                    PropertyInfo p => p.GetValue(value),
                    FieldInfo f => f.GetValue(value),
                    _ => throw new InvalidOperationException($"unexpected member {member}"),
                });
            }
        }
    }
}
