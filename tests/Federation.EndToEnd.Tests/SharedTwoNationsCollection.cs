namespace Federation.EndToEnd.Tests;

/// <summary>The test classes that share one <see cref="SharedTwoNations"/> (launching two nations costs seconds each time).</summary>
[CollectionDefinition(Name)]
public sealed class SharedTwoNationsCollection : ICollectionFixture<SharedTwoNations>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "shared two nations";
}
