using System.Reflection;

namespace Federation.Conventions.Tests;

/// <summary>Reads attribute constructor arguments as written in source, for attributes that do not expose them.</summary>
internal static class AttributeArguments
{
    /// <summary>The first constructor argument of <typeparamref name="TAttribute"/> on <paramref name="type"/>, or null when absent.</summary>
    public static string? FirstString<TAttribute>(Type type) where TAttribute : Attribute =>
        First<TAttribute>(type.GetCustomAttributesData());

    /// <summary>All constructor arguments of <typeparamref name="TAttribute"/> on <paramref name="parameter"/>, or null when absent.</summary>
    public static IReadOnlyList<object?>? All<TAttribute>(ParameterInfo parameter) where TAttribute : Attribute =>
        parameter.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(TAttribute)) is { } data
            ? [.. data.ConstructorArguments.Select(a => a.Value)]
            : null;

    private static string? First<TAttribute>(IList<CustomAttributeData> attributes) =>
        attributes.FirstOrDefault(a => a.AttributeType == typeof(TAttribute)) is { ConstructorArguments: [{ Value: var value }, ..] }
            ? value as string
            : null;
}
