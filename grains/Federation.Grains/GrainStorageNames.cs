namespace Federation.Grains;

/// <summary>Names of the grain storage providers that the host must register.</summary>
public static class GrainStorageNames
{
    /// <summary>Catalogue grains (datasets, nodes, models, the nation).</summary>
    public const string Catalogue = "catalogue";

    /// <summary>Job grains (origin) and execution grains (executing nation).</summary>
    public const string Jobs = "jobs";

    /// <summary>The Orleans stream provider of job events inside a nation.</summary>
    public const string EventStreams = "events";
}
