namespace Federation.EndToEnd.Tests;

/// <summary>The job scenarios start whole federations on PostgreSQL with fixed database names: they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class JobScenarios
{
    /// <summary>The collection's name.</summary>
    public const string Name = "job scenarios";
}
