using Microsoft.OpenApi;

namespace Federation.Silo.Api.OpenApi;

/// <summary>
/// Describes one query parameter in the OpenAPI documents. Handlers keep reading the query with the
/// strict rules of <see cref="QueryParameters"/> (one 400 naming every bad parameter); this metadata
/// only tells clients what those rules are.
/// </summary>
public sealed record QueryParameter(string Name, JsonSchemaType Type, string Description)
{
    /// <summary>A regular expression the value must match.</summary>
    public string? Pattern { get; init; }

    /// <summary>The smallest accepted number.</summary>
    public string? Minimum { get; init; }

    /// <summary>The largest accepted number.</summary>
    public string? Maximum { get; init; }

    /// <summary>The longest accepted text.</summary>
    public int? MaxLength { get; init; }

    /// <summary>The value used when the parameter is absent.</summary>
    public string? Default { get; init; }

    /// <summary>The only accepted values, when there is a closed list.</summary>
    public IReadOnlyList<string>? Allowed { get; init; }

    /// <summary>Whether the parameter must be given.</summary>
    public bool Required { get; init; }
}
