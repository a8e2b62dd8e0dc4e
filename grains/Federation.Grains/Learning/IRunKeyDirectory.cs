using System.Security.Cryptography;
using Federation.Contracts.Ids;

namespace Federation.Grains.Learning;

/// <summary>
/// Federation keys for secure aggregation: this nation's own signing key, and each peer's public key as
/// its pinned certificate carries it (learnt from the mutual-TLS connections, never from a message body).
/// </summary>
public interface IRunKeyDirectory
{
    /// <summary>This nation's federation signing key.</summary>
    ECDsa Own { get; }

    /// <summary>The federation public key of <paramref name="nation"/>, or null when not yet known.</summary>
    ECDsa? Find(NationCode nation);

    /// <summary>Learns the keys of <paramref name="nations"/> not yet known (an edge's I/O); answers the nations still unknown after it.</summary>
    Task<IReadOnlyList<NationCode>> EnsureAsync(IEnumerable<NationCode> nations);
}
