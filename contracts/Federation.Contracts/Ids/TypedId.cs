namespace Federation.Contracts.Ids;

/// <summary>Helpers shared by all typed ids.</summary>
public static class TypedId
{
    /// <summary>Parses <paramref name="text"/> or throws <see cref="FormatException"/> with the rule.</summary>
    public static T Parse<T>(string? text) where T : struct, ITypedId<T> =>
        T.TryParse(text, out var id, out var error) ? id : throw new FormatException(error);

    /// <summary>Parses a grain key that carries <paramref name="prefix"/>.</summary>
    public static T ParseKey<T>(string key, string prefix) where T : struct, ITypedId<T>
    {
        if (!key.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new FormatException($"Grain key '{key}' does not start with '{prefix}'.");
        }

        return Parse<T>(key[prefix.Length..]);
    }
}
