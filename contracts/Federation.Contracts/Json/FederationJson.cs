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
