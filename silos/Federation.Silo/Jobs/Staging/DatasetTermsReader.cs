using System.Net;
using Federation.Protocol.Messages;
using Federation.Protocol.Wire;
using Federation.Contracts.Catalogue;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Json;
using Federation.Grains.Nations;
using Federation.Silo.Peering;

namespace Federation.Silo.Jobs.Staging;

/// <summary>
/// Reads a dataset's terms: this nation's own from its dataset grain, another nation's from its home
/// over the federation API (<c>GET /federation/v1/catalogue/datasets/{id}</c>), never from a cache,
/// so that the home's current word decides.
/// </summary>
public sealed class DatasetTermsReader(IGrainFactory grains, LocalNation local, RosterStore roster, PeerHttpClientFactory clients)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    /// <summary>The terms of <paramref name="dataset"/>, or why they cannot be had (the text names the dataset).</summary>
    public async Task<(DatasetTerms? Terms, string? Failure)> ReadAsync(DatasetRef dataset, CancellationToken cancellationToken)
    {
        if (dataset.Nation == local.Code)
        {
            var record = await grains.GetGrain<IDatasetGrain>(dataset.Dataset.GrainKey).GetAsync();
            return record switch
            {
                null or { Status: CatalogueStatus.Deleted } => (null, $"{dataset} is not in {local.Code}'s catalogue"),
                { Status: CatalogueStatus.Withdrawn } => (null, $"{dataset} is withdrawn ({record.StatusReason})"),
                _ => (new DatasetTerms(dataset, record.Spec.Residency, record.Spec.SizeBytes, record.Spec.Sha256.Value, record.Spec.Location), null),
            };
        }

        var peer = roster.Find(dataset.Nation.Value);
        if (peer is null)
        {
            return (null, $"{dataset.Nation}, the home of {dataset}, is not on the federation roster");
        }

        try
        {
            using var client = clients.CreateClient(peer);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_timeout);
            using var message = new HttpRequestMessage(HttpMethod.Get, FederationRoutes.Dataset(dataset.Dataset.ToString())).WithRequestId(Guid.NewGuid());
            using var response = await client.SendAsync(message, timeout.Token);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return (null, $"{dataset} is not in {dataset.Nation}'s public catalogue (unknown, withdrawn, or private to {dataset.Nation})");
            }

            if (!response.IsSuccessStatusCode)
            {
                return (null, $"{dataset.Nation} answered HTTP {(int)response.StatusCode} when asked for the terms of {dataset}");
            }

            var found = await response.Content.ReadFromJsonAsync<PublicDataset>(FederationJson.Options, timeout.Token);
            return found is null || found.Nation != dataset.Nation.Value || found.Id != dataset.Dataset.Value
                ? (null, $"{dataset.Nation} answered with another dataset than {dataset}")
                : (new DatasetTerms(dataset, found.Residency, found.SizeBytes, found.Sha256, null), null);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or System.Text.Json.JsonException or System.Security.Authentication.AuthenticationException
            && !cancellationToken.IsCancellationRequested)
        {
            return (null, $"cannot read the terms of {dataset} from {dataset.Nation} ({e.GetBaseException().Message})");
        }
    }
}
