namespace Federation.EndToEnd.Tests;

/// <summary>The training tests, which share one launched <see cref="TrainingFederation"/> (launching four nations on PostgreSQL costs tens of seconds).</summary>
[CollectionDefinition(Name)]
public sealed class TrainingFederationCollection : ICollectionFixture<TrainingFederation>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "training federation";
}
