using System.Text.Json;
using System.Text.Json.Serialization;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Jobs;

namespace Federation.Contracts.Json;

/// <summary>The one JSON convention of the user API, the read model and the CLI.</summary>
public static class FederationJson
{
    /// <summary>camelCase names, enums as camelCase strings, typed ids as text, nulls omitted.</summary>
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, JsonSerializerOptions> s_byProtocol = new();

    /// <summary>
    /// <see cref="Options"/> for a peer that speaks federation protocol <paramref name="version"/>: members
    /// marked <see cref="SinceProtocolAttribute"/> with a later version are never written.
    /// </summary>
    public static JsonSerializerOptions ForProtocol(int version) => s_byProtocol.GetOrAdd(version, v =>
    {
        var options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        options.TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver { Modifiers = { UpToProtocol(v) } };
        options.MakeReadOnly();
        return options;
    });

    /// <summary>A contract modifier that drops the members added after protocol <paramref name="version"/> (reading them is then refused by a strict reader, writing them never happens).</summary>
    public static Action<System.Text.Json.Serialization.Metadata.JsonTypeInfo> UpToProtocol(int version) => type =>
    {
        for (var i = type.Properties.Count - 1; i >= 0; i--)
        {
            if (type.Properties[i].AttributeProvider?.GetCustomAttributes(typeof(SinceProtocolAttribute), true) is [SinceProtocolAttribute since, ..] && since.Version > version)
            {
                type.Properties.RemoveAt(i);
            }
        }
    };

    /// <summary>Applies the convention to <paramref name="options"/> (e.g. ASP.NET Core's own) and returns it.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new TypedIdJsonConverterFactory());
        // DUO codes keep their ontology spelling (GRU, IRB); other enums are camelCase.
        options.Converters.Add(new JsonStringEnumConverter<DuoPermission>(namingPolicy: null, allowIntegerValues: false));
        options.Converters.Add(new JsonStringEnumConverter<DuoModifier>(namingPolicy: null, allowIntegerValues: false));
        options.Converters.Add(new JsonStringEnumConverter<ResearchCategory>(namingPolicy: null, allowIntegerValues: false));
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        return options;
    }
}
