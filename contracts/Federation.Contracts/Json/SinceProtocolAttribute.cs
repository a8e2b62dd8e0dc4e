namespace Federation.Contracts.Json;

/// <summary>
/// A member of a federation wire body that exists from protocol version <see cref="Version"/> on:
/// <see cref="FederationJson.ForProtocol"/> leaves it out of what is written to a peer that speaks an
/// older version, and a receiver capped below it reads the member as unknown (refused).
/// </summary>
/// <param name="version">The first protocol version with the member.</param>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class SinceProtocolAttribute(int version) : Attribute
{
    /// <summary>The first protocol version with the member.</summary>
    public int Version { get; } = version;
}
