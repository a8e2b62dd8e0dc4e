namespace Federation.Grains.Catalogue.Index;

/// <summary>
/// Filters for datasets. Text is searched in id, title, description and tags.
/// Withdrawn datasets are left out unless <see cref="IncludeWithdrawn"/>.
/// </summary>
public sealed record DatasetQuery
{
    /// <summary>Whitespace-separated terms that must all occur.</summary>
    public string? Text { get; init; }

    /// <summary>Exact tag.</summary>
    public string? Tag { get; init; }

    /// <summary>Exact licence expression (ordinal, case-insensitive).</summary>
    public string? Licence { get; init; }

    /// <summary>Include withdrawn datasets.</summary>
    public bool IncludeWithdrawn { get; init; }

    /// <summary>Only public ones (for peers).</summary>
    public bool PublicOnly { get; init; }

    /// <summary>Key of the last entry of the previous page.</summary>
    public string? After { get; init; }

    /// <summary>Page size, 1 to 500.</summary>
    public int Limit { get; init; } = 50;
}
