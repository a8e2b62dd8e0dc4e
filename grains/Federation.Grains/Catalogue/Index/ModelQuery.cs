namespace Federation.Grains.Catalogue.Index;

/// <summary>
/// Filters for model artifacts. Text is searched in name, version, format and description.
/// Withdrawn models are left out unless <see cref="IncludeWithdrawn"/>.
/// </summary>
public sealed record ModelQuery
{
    /// <summary>Whitespace-separated terms that must all occur.</summary>
    public string? Text { get; init; }

    /// <summary>Exact licence expression (ordinal, case-insensitive).</summary>
    public string? Licence { get; init; }

    /// <summary>Exact model name (all its versions).</summary>
    public string? Name { get; init; }

    /// <summary>Include withdrawn models.</summary>
    public bool IncludeWithdrawn { get; init; }

    /// <summary>Key of the last entry of the previous page.</summary>
    public string? After { get; init; }

    /// <summary>Page size, 1 to 500.</summary>
    public int Limit { get; init; } = 50;
}
