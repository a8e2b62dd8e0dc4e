using System.Globalization;
using System.Reflection;
using Federation.Contracts.Ids;

namespace Federation.Conventions.Tests;

/// <summary>
/// Typed ids that key grains: a non-hex, '+'-free prefix, because Orleans parses hex-looking string
/// keys as integers and treats '+' as the start of a key extension.
/// </summary>
public sealed class TypedIdKeyConventionsTests
{
    /// <summary>Pairs of texts whose ids must get different, non-numeric keys; the first pair a type accepts is used.</summary>
    private static readonly (string Plain, string LeadingZero)[] s_samplePairs =
    [
        ("cafe", "0cafe"),
        ("cafe@1", "0cafe@1"),
        ("FR/cafe", "FR/0cafe"),
    ];

    private static readonly Type[] s_keyedIds =
    [
        .. ConventionTypes.InContracts.Where(t =>
            t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ITypedId<>))
            && t.GetProperty("GrainKey", BindingFlags.Instance | BindingFlags.Public) is not null),
    ];

    [Fact]
    public void KeyedTypedIds_Scan_FindsTheGrainKeys()
    {
        Assert.Contains(typeof(DatasetId), s_keyedIds);
        Assert.Contains(typeof(NodeId), s_keyedIds);
        Assert.Contains(typeof(ModelRef), s_keyedIds);
    }

    [Fact]
    public void KeyedTypedIds_KeyPrefix_IsNonEmptyWithoutPlus()
    {
        var violations = new List<string>();
        foreach (var type in s_keyedIds)
        {
            var prefix = type.GetField("KeyPrefix", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field
                ? field.GetRawConstantValue() as string
                : null;
            if (string.IsNullOrEmpty(prefix))
            {
                violations.Add($"{type.FullName}: has GrainKey but no non-empty 'public const string KeyPrefix'");
            }
            else if (prefix.Contains('+', StringComparison.Ordinal))
            {
                violations.Add($"{type.FullName}: KeyPrefix '{prefix}' contains '+', which Orleans reads as a key extension");
            }
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void KeyedTypedIds_SampleKeys_AreDistinctAndNotHexIntegers()
    {
        var violations = new List<string>();
        foreach (var type in s_keyedIds)
        {
            if (SamplePair(type) is not var (plain, leadingZero))
            {
                violations.Add($"{type.FullName}: none of the sample texts parse; add a sample pair for it to this test");
                continue;
            }

            var (plainKey, zeroKey) = (Key(plain), Key(leadingZero));
            if (plainKey == zeroKey)
            {
                violations.Add($"{type.FullName}: '{plain}' and '{leadingZero}' share the grain key '{plainKey}'");
            }

            foreach (var key in new[] { plainKey, zeroKey })
            {
                if (long.TryParse(key, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out _))
                {
                    violations.Add($"{type.FullName}: grain key '{key}' parses as a hexadecimal integer");
                }

                if (key.Contains('+', StringComparison.Ordinal))
                {
                    violations.Add($"{type.FullName}: grain key '{key}' contains '+'");
                }
            }
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void KeyedTypedIds_GrainKey_StartsWithPrefixAndRoundTrips()
    {
        var violations = new List<string>();
        foreach (var type in s_keyedIds)
        {
            if (SamplePair(type) is not var (id, _))
            {
                continue;
            }

            var key = Key(id);
            var prefix = type.GetField("KeyPrefix")?.GetRawConstantValue() as string ?? "";
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                violations.Add($"{type.FullName}: grain key '{key}' does not start with KeyPrefix '{prefix}'");
            }

            if (type.GetMethod("FromGrainKey", BindingFlags.Public | BindingFlags.Static, [typeof(string)]) is not { } fromKey)
            {
                violations.Add($"{type.FullName}: has GrainKey but no static FromGrainKey(string)");
            }
            else if (!Equals(fromKey.Invoke(null, [key]), id))
            {
                violations.Add($"{type.FullName}: FromGrainKey('{key}') does not give back {id}");
            }
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    private static (object Plain, object LeadingZero)? SamplePair(Type type)
    {
        foreach (var (plain, leadingZero) in s_samplePairs)
        {
            if (TryParse(type, plain) is { } a && TryParse(type, leadingZero) is { } b)
            {
                return (a, b);
            }
        }

        return null;
    }

    private static object? TryParse(Type type, string text) =>
        typeof(TypedIdKeyConventionsTests).GetMethod(nameof(TryParseTyped), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, [text]);

    private static object? TryParseTyped<T>(string text) where T : struct, ITypedId<T> =>
        T.TryParse(text, out var id, out _) ? id : null;

    private static string Key(object id) => (string)id.GetType().GetProperty("GrainKey")!.GetValue(id)!;
}
