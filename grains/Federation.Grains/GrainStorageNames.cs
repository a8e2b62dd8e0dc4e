namespace Federation.Grains;

/// <summary>Names of the grain storage providers that the host must register.</summary>
public static class GrainStorageNames
{
    /// <summary>Catalogue grains (datasets, nodes, models, the nation).</summary>
    public const string Catalogue = "catalogue";
}
