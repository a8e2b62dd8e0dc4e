using System.Globalization;
using System.Net;
using Federation.Contracts.Json;
using Federation.Protocol.Wire;
using Federation.Silo.Peering;
using Federation.Transparency;
using Federation.Transparency.Peers;

namespace Federation.Silo.Transparency;

/// <summary>
/// Reads peers' logs over the federation API (<c>/federation/v1/transparency/...</c>, mutual TLS,
/// the peer pinned by the roster). What it returns is the peer's claim, checked by the caller.
/// </summary>
/// <param name="roster">The roster (where each peer is).</param>
/// <param name="clients">Pinned HTTP clients to peers.</param>
public sealed class PeerLogClient(RosterStore roster, PeerHttpClientFactory clients) : IPeerLogSource
{
    /// <summary>How long one request to a peer may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public async Task<SignedTreeHead?> LatestHeadAsync(string peer, CancellationToken cancellationToken = default)
    {
        var head = await GetAsync<AuditHead>(peer, "federation/v1/transparency/head", cancellationToken);
        return head?.ToSigned();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<byte[]>> ConsistencyAsync(string peer, long first, long second, CancellationToken cancellationToken = default)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"federation/v1/transparency/proofs/consistency?first={first}&second={second}");
        var answer = await GetAsync<ConsistencyProofAnswer>(peer, path, cancellationToken)
            ?? throw new HttpRequestException($"{peer} has no consistency proof from {first} to {second}.");
        return [.. answer.Consistency.Select(Convert.FromBase64String)];
    }

    /// <inheritdoc />
    public async Task<PeerInclusion> InclusionAsync(string peer, long index, long? size, CancellationToken cancellationToken = default)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"federation/v1/transparency/proofs/inclusion?index={index}") + (size is { } s ? string.Create(CultureInfo.InvariantCulture, $"&size={s}") : "");
        var answer = await GetAsync<InclusionProofAnswer>(peer, path, cancellationToken)
            ?? throw new HttpRequestException($"{peer} has no inclusion proof of entry {index}.");
        var entry = new LoggedEntry(answer.Entry.Index, Convert.FromBase64String(answer.Entry.Entry), Convert.FromBase64String(answer.Entry.LeafHash));
        return new PeerInclusion(answer.TreeSize, entry, [.. answer.AuditPath.Select(Convert.FromBase64String)], answer.Head?.ToSigned());
    }

    // Null on 404 (nothing of that kind yet); other failures throw HttpRequestException.
    private async Task<T?> GetAsync<T>(string peer, string path, CancellationToken cancellationToken)
        where T : class
    {
        var entry = roster.Entries.FirstOrDefault(e => e.Code == peer)
            ?? throw new HttpRequestException($"{peer} is not on the roster.");
        using var client = clients.CreateClient(entry);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, path).WithRequestId(Guid.NewGuid());
        using var response = await client.SendAsync(request, timeout.Token);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{peer} answered GET /{path.Split('?')[0]} with HTTP {(int)response.StatusCode}.", null, response.StatusCode);
        }

        return await response.Content.ReadFromJsonAsync<T>(FederationJson.Options, timeout.Token)
            ?? throw new HttpRequestException($"{peer} answered GET /{path.Split('?')[0]} without a body.");
    }
}
