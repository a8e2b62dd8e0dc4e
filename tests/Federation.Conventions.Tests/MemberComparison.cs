using System.Collections;

namespace Federation.Conventions.Tests;

/// <summary>Walks the [Id] members of generated types (and the items of collections) to compare or inspect values.</summary>
internal static class MemberComparison
{
    /// <summary>Paths where <paramref name="actual"/> differs from <paramref name="expected"/>.</summary>
    public static List<string> Differences(object? expected, object? actual)
    {
        var differences = new List<string>();
        Compare(expected, actual, "$", differences);
        return differences;
    }

    /// <summary>Paths of <paramref name="value"/> that hold a default, null or empty value, which a round trip could not tell from a lost one.</summary>
    public static List<string> Unpopulated(object value)
    {
        var paths = new List<string>();
        Inspect(value, "$", paths);
        return paths;
    }

    private static void Compare(object? expected, object? actual, string path, List<string> differences)
    {
        if (expected is null || actual is null)
        {
            if (expected is not null || actual is not null)
            {
                differences.Add($"{path}: expected {expected ?? "null"}, got {actual ?? "null"}");
            }

            return;
        }

        if (expected.GetType() != actual.GetType())
        {
            differences.Add($"{path}: expected a {expected.GetType()}, got a {actual.GetType()}");
            return;
        }

        if (SerializedMembers.IsGenerated(expected.GetType()))
        {
            foreach (var ((name, e), (_, a)) in SerializedMembers.Values(expected).Zip(SerializedMembers.Values(actual)))
            {
                Compare(e, a, $"{path}.{name}", differences);
            }

            return;
        }

        if (expected is IEnumerable expectedItems and not string && actual is IEnumerable actualItems)
        {
            var (e, a) = (Items(expectedItems), Items(actualItems));
            if (e is null || a is null || e.Count != a.Count)
            {
                differences.Add($"{path}: expected {e?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "a default array"} items, got {a?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "a default array"}");
                return;
            }

            for (var i = 0; i < e.Count; i++)
            {
                Compare(e[i], a[i], $"{path}[{i}]", differences);
            }

            return;
        }

        if (!expected.Equals(actual))
        {
            differences.Add($"{path}: expected {expected}, got {actual}");
        }
    }

    private static void Inspect(object? value, string path, List<string> paths)
    {
        switch (value)
        {
            case null:
                paths.Add($"{path} is null");
                return;
            case string text:
                if (text.Length == 0)
                {
                    paths.Add($"{path} is empty");
                }

                return;
        }

        var type = value.GetType();
        if (SerializedMembers.IsGenerated(type))
        {
            foreach (var (name, member) in SerializedMembers.Values(value))
            {
                Inspect(member, $"{path}.{name}", paths);
            }

            return;
        }

        if (value is IEnumerable items)
        {
            var list = Items(items);
            if (list is not { Count: > 0 })
            {
                paths.Add($"{path} is empty");
                return;
            }

            for (var i = 0; i < list.Count; i++)
            {
                Inspect(list[i], $"{path}[{i}]", paths);
            }

            return;
        }

        if (type.IsValueType && value.Equals(Activator.CreateInstance(type)))
        {
            paths.Add($"{path} is {value}, the default of {type.Name}");
        }
    }

    /// <summary>The items, or null for a default (uninitialised) ImmutableArray.</summary>
    private static List<object?>? Items(IEnumerable items)
    {
        try
        {
            return [.. items.Cast<object?>()];
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
