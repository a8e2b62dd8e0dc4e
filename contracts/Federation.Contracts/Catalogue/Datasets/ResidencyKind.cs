namespace Federation.Contracts.Catalogue.Datasets;

/// <summary>Where a dataset may be processed.</summary>
public enum ResidencyKind
{
    /// <summary>Only in its home nation.</summary>
    HomeOnly = 0,

    /// <summary>In its home nation and in the listed nations.</summary>
    ListedNations = 1,

    /// <summary>In any member nation.</summary>
    Anywhere = 2,
}
