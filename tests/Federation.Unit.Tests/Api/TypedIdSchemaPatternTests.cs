using System.Text.RegularExpressions;
using Federation.Contracts.Ids;
using Federation.Silo.Api.OpenApi;

namespace Federation.Unit.Tests.Api;

/// <summary>
/// The OpenAPI documents state each typed id's syntax as a pattern written by hand: these tests
/// hold the patterns to what the ids' own <c>TryParse</c> accepts.
/// </summary>
public sealed class TypedIdSchemaPatternTests
{
    private static readonly string[] s_samples =
    [
        "", "a", "FR", "fr", "XX", "F", "FRA", "cancer-registry", "-registry", "registry-", "Cancer", "a_b", "a b",
        "abcdefghijklmnopqrstuvwxyz0123456789-abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz0123456789-abcdefghijklmnopqrstuvwxyz0",
        "FR/cancer-registry", "fr/cancer-registry", "FR/", "/x", "FR/Cancer", "FR/a/b", "DE/train-42",
        "llama@1.0", "llama@", "@1.0", "llama@v1_2-rc.3", "Llama@1.0", "llama@.1", "llama@1.0@2",
        "1.0", "v1_2-rc.3", ".1", "0123456789012345678901234567890123", "01234567890123456789012345678901",
        new string('a', 64), new string('A', 64), new string('g', 64), new string('a', 63),
        "CC-BY-4.0", "Apache-2.0 OR MIT", "(MIT)", "MIT AND", "h100-sxm", "a100-80gb-sxm",
    ];

    [Fact]
    public void Patterns_SlugLikeIds_AcceptExactlyWhatTryParseAccepts()
    {
        AssertSame<DatasetId>();
        AssertSame<NodeId>();
        AssertSame<AcceleratorSlug>();
        AssertSame<ModelName>();
        AssertSame<ModelVersion>();
        AssertSame<ModelRef>();
        AssertSame<Sha256Digest>();
    }

    [Fact]
    public void Patterns_IdsCheckedAgainstAList_AcceptEverythingTryParseAccepts()
    {
        // Whether a nation code is assigned, or a licence expression well nested, is beyond a pattern:
        // the pattern may accept more, never less.
        AssertAcceptsValid<NationCode>();
        AssertAcceptsValid<DatasetRef>();
        AssertAcceptsValid<JobRef>();
        AssertAcceptsValid<SpdxExpression>();
        Assert.DoesNotMatch(TypedIdSchemas.PatternOf(typeof(NationCode)), "fr");
        Assert.DoesNotMatch(TypedIdSchemas.PatternOf(typeof(JobRef)), "FR/Cancer");
    }

    [Fact]
    public void Patterns_CoverEveryTypedId()
    {
        var typedIds = typeof(NationCode).Assembly.GetTypes()
            .Where(t => t.IsValueType && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ITypedId<>)))
            .ToHashSet();
        Assert.Equal(typedIds.OrderBy(t => t.Name), TypedIdSchemas.Types.OrderBy(t => t.Name));
    }

    private static void AssertSame<T>() where T : struct, ITypedId<T>
    {
        var pattern = new Regex(TypedIdSchemas.PatternOf(typeof(T)));
        var disagreements = s_samples.Where(s => T.TryParse(s, out _, out _) != pattern.IsMatch(s)).ToList();
        Assert.True(disagreements.Count == 0, $"{typeof(T).Name}: pattern and TryParse disagree on {string.Join(", ", disagreements.Select(d => $"'{d}'"))}");
    }

    private static void AssertAcceptsValid<T>() where T : struct, ITypedId<T>
    {
        var pattern = new Regex(TypedIdSchemas.PatternOf(typeof(T)));
        var valid = s_samples.Where(s => T.TryParse(s, out _, out _)).ToList();
        Assert.NotEmpty(valid);
        Assert.All(valid, s => Assert.Matches(pattern, s));
    }
}
