using System.Collections.Concurrent;
using System.Net;
using Federation.Protocol.Messages;
using Federation.Protocol.Wire;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Json;
using Federation.Protocol.Terms;
using Federation.Silo.Peering;

namespace Federation.Silo.Trust;

/// <summary>
/// Other nations' signed dataset terms as this nation, the origin of offers, last read them from their
/// homes (planning reads them anyway): attached to the offers it sends, so that the receiver checks them
/// without calling the home. Only terms whose signature verifies against the roster are kept.
/// </summary>
public sealed class ForeignTerms(RosterStore roster, PeerHttpClientFactory clients)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<DatasetRef, SignedDatasetTerms> _terms = new();

    /// <summary>Keeps <paramref name="terms"/> for <paramref name="dataset"/> when they describe it, verify, and are not older than what is kept.</summary>
    public void Remember(DatasetRef dataset, SignedDatasetTerms? terms)
    {
        if (terms?.Terms is null || terms.Terms.Dataset != dataset || roster.Find(dataset.Nation.Value) is not { } home
            || DatasetTermsSignature.Verify(terms, home.Pins) is not null)
        {
            return;
        }

        _terms.AddOrUpdate(dataset, terms, (_, kept) => kept.Terms.Version > terms.Terms.Version ? kept : terms);
    }

    /// <summary>The kept terms of <paramref name="dataset"/>, or, when none are kept, the home's current ones read over the federation API; null when the home gives none.</summary>
    public async Task<SignedDatasetTerms?> GetAsync(DatasetRef dataset, CancellationToken cancellationToken)
    {
        if (_terms.TryGetValue(dataset, out var kept))
        {
            return kept;
        }

        if (roster.Find(dataset.Nation.Value) is not { } home)
        {
            return null;
        }

        try
        {
            using var client = clients.CreateClient(home);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_timeout);
            using var message = new HttpRequestMessage(HttpMethod.Get, FederationRoutes.Dataset(dataset.Dataset.ToString())).WithRequestId(Guid.NewGuid());
            using var response = await client.SendAsync(message, timeout.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            var found = await response.Content.ReadFromJsonAsync<PublicDataset>(FederationJson.Options, timeout.Token);
            Remember(dataset, found?.Terms);
            return _terms.GetValueOrDefault(dataset);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or System.Text.Json.JsonException or System.Security.Authentication.AuthenticationException
            && !cancellationToken.IsCancellationRequested)
        {
            // The receiver refuses an offer without terms, with the reason; the origin then tries elsewhere.
            return null;
        }
    }
}
