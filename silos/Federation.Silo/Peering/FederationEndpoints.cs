using Federation.Protocol.Messages;
using Federation.Contracts.Catalogue;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Peers;
using Federation.Grains.Catalogue.Index;
using Federation.Grains.Nations;
using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Governance;
using Federation.Silo.Trust;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Peering;

/// <summary>The federation API this nation serves to its peers (on the mutual-TLS port).</summary>
public static class FederationEndpoints
{
    /// <summary>Maps the endpoints on the <c>/federation/v1</c> group.</summary>
    public static void MapFederationEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost(FederationRoutes.AdvertsPath, ReceiveAdvertAsync).WithName("FederationReceiveAdvert")
            .WithSummary("A peer's capability advert (capacity, PUE, grid, workloads); only for the sender's own nation.")
            .Accepts<CapabilityAdvert>("application/json").Produces(StatusCodes.Status204NoContent);
        group.MapGet(FederationRoutes.DatasetsPath, ListPublicDatasetsAsync).WithName("FederationListDatasets")
            .WithSummary("This nation's public, active datasets (never private ones, never locations).")
            .WithQuery(QueryParameterDocs.PublicDatasets).Produces<PublicPage<PublicDataset>>();
        group.MapGet(FederationRoutes.DatasetPath, GetPublicDatasetAsync).WithName("FederationGetDataset")
            .WithSummary("One public dataset of this nation, with its data-use terms and residency.")
            .Produces<PublicDataset>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet(FederationRoutes.ModelsPath, ListPublicModelsAsync).WithName("FederationListModels")
            .WithSummary("This nation's active model artifacts.")
            .WithQuery(QueryParameterDocs.PublicModels).Produces<PublicPage<PublicModel>>();
        group.MapRosterFederationEndpoints();
    }

    private static async Task<IResult> ReceiveAdvertAsync(HttpContext http, IGrainFactory grains, TimeProvider time, IOptions<TrustOptions> trust)
    {
        var peer = http.GetPeer();
        var grain = grains.GetGrain<IPeerGrain>(IPeerGrain.KeyOf(TypedId.Parse<NationCode>(peer.Code)));

        // The same strict reader as every other body (media type, size, shape, unknown members, numbers as numbers),
        // with the advert's own size bound; what it refuses is counted against the peer.
        var (advert, problem) = await JsonBody.ReadAsync<CapabilityAdvert>(http.Request, AdvertValidator.MaxBytes, "an advert is at most this large");
        if (problem is not null)
        {
            // Logged by the peer grain: printable and bounded, whatever the peer sent.
            var reason = JsonShape.Printable(problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "refused");
            await grain.RecordRejectedAdvertAsync(reason.Length <= 300 ? reason : reason[..300] + "…");
            return problem;
        }

        if (advert!.Nation.Value != peer.Code)
        {
            await grain.RecordRejectedAdvertAsync($"claims to be {advert.Nation}");
            return Problems.Status(StatusCodes.Status403Forbidden, "Identity mismatch",
                $"the advert speaks for {advert.Nation} but your certificate is {peer.Code}'s; a nation advertises only itself");
        }

        var errors = AdvertValidator.Validate(advert, time.GetUtcNow(), trust.Value.ClockSkew);
        if (!errors.IsEmpty)
        {
            await grain.RecordRejectedAdvertAsync(errors.Summary());
            return Problems.Invalid(errors);
        }

        await grain.RecordAdvertAsync(advert);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> ListPublicDatasetsAsync(HttpRequest request, ICatalogueIndex index)
    {
        var errors = new ValidationErrors();
        var query = QueryParameters.Datasets(request, errors) with { IncludeWithdrawn = false, PublicOnly = true };
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var page = await index.QueryDatasetsAsync(query, request.HttpContext.RequestAborted);
        return TypedResults.Ok(new PublicPage<PublicDataset>([.. page.Items.Select(PublicDataset.From)], page.NextAfter));
    }

    private static async Task<IResult> GetPublicDatasetAsync(string id, IGrainFactory grains, LocalNation local, TermsSigner signer)
    {
        if (!DatasetId.TryParse(id, out var datasetId, out var error))
        {
            return Problems.Invalid("id", error);
        }

        var record = await grains.GetGrain<IDatasetGrain>(datasetId.GrainKey).GetAsync();
        return record is { Status: CatalogueStatus.Active, Spec.Visibility: Visibility.Public }
            ? TypedResults.Ok(PublicDataset.From(record) with { Terms = signer.Sign(record) })
            : Problems.Status(StatusCodes.Status404NotFound, "No such public dataset",
                $"{local.Code} has no active public dataset '{datasetId}' (unknown, withdrawn, or private to {local.Code})");
    }

    private static async Task<IResult> ListPublicModelsAsync(HttpRequest request, ICatalogueIndex index)
    {
        var errors = new ValidationErrors();
        var query = QueryParameters.Models(request, errors) with { IncludeWithdrawn = false };
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var page = await index.QueryModelsAsync(query, request.HttpContext.RequestAborted);
        return TypedResults.Ok(new PublicPage<PublicModel>([.. page.Items.Select(PublicModel.From)], page.NextAfter));
    }
}
