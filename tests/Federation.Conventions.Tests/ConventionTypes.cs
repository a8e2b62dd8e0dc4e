using System.Reflection;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Grains.Catalogue.Datasets;

namespace Federation.Conventions.Tests;

/// <summary>The types the conventions apply to: those of the contracts and grains assemblies, code-generated ones excluded.</summary>
internal static class ConventionTypes
{
    public static Assembly Contracts { get; } = typeof(DatasetRecord).Assembly;

    public static Assembly Grains { get; } = typeof(DatasetGrain).Assembly;

    public static IReadOnlyList<Type> InContracts { get; } = Declared(Contracts);

    public static IReadOnlyList<Type> InGrains { get; } = Declared(Grains);

    public static IReadOnlyList<Type> All { get; } = [.. InContracts, .. InGrains];

    /// <summary>Types carrying [GenerateSerializer] in both assemblies.</summary>
    public static IReadOnlyList<Type> Serializable { get; } = [.. All.Where(t => t.IsDefined(typeof(GenerateSerializerAttribute), inherit: false))];

    /// <summary>Readable name for messages, generic arguments included.</summary>
    public static string Describe(Type type) =>
        type.IsGenericType
            ? $"{type.Namespace}.{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Describe))}>"
            : type.FullName ?? type.Name;

    private static Type[] Declared(Assembly assembly) =>
        [.. assembly.GetTypes().Where(t =>
            !t.Name.Contains('<', StringComparison.Ordinal)
            && t.Namespace is { } ns
            && !ns.StartsWith("OrleansCodeGen", StringComparison.Ordinal)
            && !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)];
}
