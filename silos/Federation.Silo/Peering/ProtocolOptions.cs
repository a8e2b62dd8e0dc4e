using Federation.Protocol.Roster;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Peering;

/// <summary>
/// Section <c>Federation:Protocol</c>: the newest federation protocol version this silo speaks. A rolling
/// upgrade runs the new build with <see cref="MaxVersion"/> at the old version until every silo of the
/// nation runs it, then raises it (docs/operations.md, "Rolling upgrades").
/// </summary>
public sealed class ProtocolOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Protocol";

    /// <summary>The newest version spoken, from <see cref="ProtocolVersions.Oldest"/> to <see cref="ProtocolVersions.Newest"/> (the default).</summary>
    public int MaxVersion { get; set; } = ProtocolVersions.Newest;
}

/// <summary>Checks <see cref="ProtocolOptions"/> at start-up.</summary>
public sealed class ProtocolOptionsValidator : IValidateOptions<ProtocolOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ProtocolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.MaxVersion is >= ProtocolVersions.Oldest and <= ProtocolVersions.Newest
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{ProtocolOptions.Section}:MaxVersion must be a federation protocol version this build speaks, {ProtocolVersions.Oldest} to {ProtocolVersions.Newest}, got {options.MaxVersion}");
    }
}
