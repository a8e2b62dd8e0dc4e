using Federation.Protocol.Messages;
using Federation.Protocol.Wire;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Json;
using Federation.Contracts.Peers;
using Federation.Grains.Catalogue.Index;
using Federation.Grains.Nations;
using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Auth;
using Federation.Silo.Trust;
using Federation.Transparency.Peers;

namespace Federation.Silo.Peering;

/// <summary>/api/v1/peers and /api/v1/federated/datasets: the federation as this nation sees it.</summary>
public static class FederatedCatalogueEndpoints
{
    private static readonly TimeSpan s_peerTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Maps the endpoints.</summary>
    public static void MapFederatedCatalogueEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithUserApiProblems();
        api.MapGet("/peers", ListPeersAsync).RequireAuthorization(Policies.Read).WithTags("Federation").WithName("ListPeers")
            .WithSummary("Every rostered peer as this nation sees it: reachability, last advert, last error, and whether its signed transparency-log heads are consistent.")
            .Produces<List<PeerStatus>>();
        api.MapGet("/federated/models", SearchModelsAsync).RequireAuthorization(Policies.Read).WithTags("Federation").WithName("SearchFederatedModels")
            .WithSummary("Search model artifacts across every reachable nation; the answer names the nations that are missing.")
            .WithQuery(QueryParameterDocs.FederatedModels).Produces<FederatedSearchResult<PublicModel>>();
        api.MapGet("/federated/datasets", SearchDatasetsAsync).RequireAuthorization(Policies.Read).WithTags("Federation").WithName("SearchFederatedDatasets")
            .WithSummary("Search public datasets across every reachable nation; the answer names the nations that are missing.")
            .WithQuery(QueryParameterDocs.FederatedDatasets).Produces<FederatedSearchResult<PublicDataset>>();
    }

    private static async Task<IResult> ListPeersAsync(RosterStore roster, LocalNation local, IGrainFactory grains, ClaimReferences references, IPeerHeadStore heads, CancellationToken cancellationToken)
    {
        var logs = (await heads.StatesAsync(cancellationToken)).ToDictionary(s => s.Peer, StringComparer.Ordinal);
        var peers = new List<PeerStatus>();
        foreach (var entry in roster.Entries.Where(e => e.Code != local.Code.Value))
        {
            if (NationCode.TryParse(entry.Code, out var code, out _))
            {
                var status = await grains.GetGrain<IPeerGrain>(IPeerGrain.KeyOf(code)).GetAsync();
                var log = logs.GetValueOrDefault(entry.Code);
                peers.Add(status with
                {
                    Flags = references.Flags(status),
                    Transparency = PeerHeadStatuses.Name(log?.Status ?? PeerHeadStatus.Unchecked),
                    TransparencyReason = log?.Flag?.Reason,
                });
            }
        }

        return TypedResults.Ok(peers);
    }

    private static async Task<IResult> SearchDatasetsAsync(HttpRequest request, ICatalogueIndex index, RosterStore roster, LocalNation local, IGrainFactory grains, PeerHttpClientFactory clients)
    {
        var errors = new ValidationErrors();
        var text = QueryParameters.Text(request, "text", errors);
        var tag = QueryParameters.Text(request, "tag", errors);
        var limit = QueryParameters.Limit(request, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var own = await index.QueryDatasetsAsync(new DatasetQuery { Text = text, Tag = tag, Limit = limit, PublicOnly = true }, request.HttpContext.RequestAborted);
        var query = Query("datasets", limit, ("text", text), ("tag", tag));
        var result = await FanOutAsync<PublicDataset>(query, [.. own.Items.Select(PublicDataset.From)], d => d.Nation, roster, local, grains, clients, request.HttpContext.RequestAborted);
        return TypedResults.Ok(result);
    }

    private static async Task<IResult> SearchModelsAsync(HttpRequest request, ICatalogueIndex index, RosterStore roster, LocalNation local, IGrainFactory grains, PeerHttpClientFactory clients)
    {
        var errors = new ValidationErrors();
        var text = QueryParameters.Text(request, "text", errors);
        var name = QueryParameters.Text(request, "name", errors);
        var limit = QueryParameters.Limit(request, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var own = await index.QueryModelsAsync(new ModelQuery { Text = text, Name = name, Limit = limit }, request.HttpContext.RequestAborted);
        var query = Query("models", limit, ("text", text), ("name", name));
        var result = await FanOutAsync<PublicModel>(query, [.. own.Items.Select(PublicModel.From)], m => m.Nation, roster, local, grains, clients, request.HttpContext.RequestAborted);
        return TypedResults.Ok(result);
    }

    private static string Query(string collection, int limit, params (string Name, string? Value)[] parameters) =>
        $"{FederationRoutes.Catalogue(collection)}?limit={limit}" + string.Concat(parameters.Where(p => p.Value is not null).Select(p => $"&{p.Name}={Uri.EscapeDataString(p.Value!)}"));

    /// <summary>Asks every rostered peer that is not known to be unreachable, in parallel, and merges the answers with ours.</summary>
    private static async Task<FederatedSearchResult<T>> FanOutAsync<T>(
        string query, List<T> own, Func<T, string> nationOf, RosterStore roster, LocalNation local, IGrainFactory grains, PeerHttpClientFactory clients, CancellationToken ct)
    {
        var answers = new List<NationAnswer> { new(local.Code.Value, true, own.Count, null) };
        var items = new List<T>(own);
        var peers = roster.Entries.Where(e => e.Code != local.Code.Value).ToList();
        var remote = await Task.WhenAll(peers.Select(async peer =>
        {
            if (!NationCode.TryParse(peer.Code, out var code, out _))
            {
                return (Answer: new NationAnswer(peer.Code, false, 0, "not a valid nation code on the roster"), Items: (IReadOnlyList<T>)[]);
            }

            var status = await grains.GetGrain<IPeerGrain>(IPeerGrain.KeyOf(code)).GetAsync();
            if (status.Health == PeerHealth.Unreachable)
            {
                return (new NationAnswer(peer.Code, false, 0, $"unreachable: {status.HealthReason}"), []);
            }

            try
            {
                using var client = clients.CreateClient(peer);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(s_peerTimeout);
                using var message = new HttpRequestMessage(HttpMethod.Get, query).WithRequestId(Guid.NewGuid());
                using var response = await client.SendAsync(message, timeout.Token);
                if (!response.IsSuccessStatusCode)
                {
                    return (new NationAnswer(peer.Code, false, 0, $"answered HTTP {(int)response.StatusCode}"), []);
                }

                var page = await response.Content.ReadFromJsonAsync<PublicPage<T>>(FederationJson.Options, timeout.Token);

                // A peer answers only for itself.
                var found = page?.Items.Where(i => nationOf(i) == peer.Code).ToList() ?? [];
                return (new NationAnswer(peer.Code, true, found.Count, null), found);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or System.Text.Json.JsonException or System.Security.Authentication.AuthenticationException)
            {
                return (new NationAnswer(peer.Code, false, 0, e.GetBaseException().Message), []);
            }
        }));

        foreach (var (answer, found) in remote)
        {
            answers.Add(answer);
            items.AddRange(found);
        }

        var missing = answers.Where(a => !a.Answered).Select(a => a.Nation).ToList();
        return new FederatedSearchResult<T>(items, answers, missing.Count > 0, missing);
    }
}
