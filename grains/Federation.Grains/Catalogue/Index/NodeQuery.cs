using Federation.Contracts.Catalogue.Nodes;

namespace Federation.Grains.Catalogue.Index;

/// <summary>Filters for GPU nodes. Text is searched in id, site and accelerator slug.</summary>
public sealed record NodeQuery
{
    /// <summary>Whitespace-separated terms that must all occur.</summary>
    public string? Text { get; init; }

    /// <summary>Exact accelerator slug.</summary>
    public string? Accelerator { get; init; }

    /// <summary>Exact state.</summary>
    public NodeState? State { get; init; }

    /// <summary>Key of the last entry of the previous page.</summary>
    public string? After { get; init; }

    /// <summary>Page size, 1 to 500.</summary>
    public int Limit { get; init; } = 50;
}
