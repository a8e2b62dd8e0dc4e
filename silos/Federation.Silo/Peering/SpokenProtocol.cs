using System.Collections.Immutable;
using System.Text.Json;
using Federation.Contracts.Json;
using Federation.Protocol.Roster;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Peering;

/// <summary>
/// The federation protocol versions this silo speaks (up to <see cref="ProtocolOptions.MaxVersion"/>), as
/// <c>hello</c>, the advert and the router state them, and the version it speaks with one peer.
/// </summary>
/// <param name="max">The newest version spoken.</param>
public sealed class SpokenProtocol(int max)
{
    /// <summary>From the validated options.</summary>
    public SpokenProtocol(IOptions<ProtocolOptions> options) : this(options?.Value.MaxVersion ?? ProtocolVersions.Newest)
    {
    }

    /// <summary>The newest version spoken.</summary>
    public int Max { get; } = max;

    /// <summary>Every version spoken, oldest first, as text (<c>hello</c>, roster entries).</summary>
    public IReadOnlyList<string> Versions { get; } = ProtocolVersions.UpTo(max);

    /// <summary>Every version spoken, oldest first, as numbers (adverts, the router).</summary>
    public ImmutableArray<int> Numbers { get; } = [.. Enumerable.Range(ProtocolVersions.Oldest, max - ProtocolVersions.Oldest + 1)];

    /// <summary>
    /// The version to write to a peer that speaks <paramref name="theirs"/> (from its <c>hello</c> or, when it
    /// could not be asked, its roster entry): the highest in common; the oldest this silo speaks when none is.
    /// </summary>
    public int With(IEnumerable<string>? theirs) => ProtocolVersions.Negotiate(Versions, theirs) ?? ProtocolVersions.Oldest;

    /// <summary>How a body is written to a peer spoken to at <paramref name="version"/>.</summary>
    public static JsonSerializerOptions Writing(int version) => FederationJson.ForProtocol(version);
}
