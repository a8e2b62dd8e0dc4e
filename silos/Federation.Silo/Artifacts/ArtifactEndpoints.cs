using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Auth;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Artifacts;

/// <summary>
/// The user API of model artifacts: upload (<c>PUT …/artifact</c>, operators), download
/// (<c>GET …/artifact</c>), lineage (<c>GET …/lineage</c>) and a pull from a peer
/// (<c>POST …:pull</c>, operators), under <c>/api/v1/models/{name}/versions/{version}</c>.
/// </summary>
public static class ArtifactEndpoints
{
    /// <summary>The query parameter that may carry the declared SHA-256 of an upload.</summary>
    public const string Sha256Query = "sha256";

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapArtifactEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/models").WithTags("Models").WithUserApiProblems();
        group.MapPut("/{name}/versions/{version}/artifact", UploadAsync).RequireAuthorization(Policies.Operate).WithName("UploadModelArtifact")
            .WithSummary("Upload a registered model version's bytes (application/octet-stream) with their SHA-256 in X-Content-Sha256 or ?sha256=; stored only when they hash to it and match the catalogue entry (201, 200 when already stored); a mismatch is a 422 naming sha256 and nothing is stored.")
            .WithQuery(QueryParameterDocs.Text(Sha256Query, "The SHA-256 of the bytes sent (64 hex characters), when the X-Content-Sha256 header is not used."))
            .AddOpenApiOperationTransformer(DescribeBinaryBody)
            .Produces<ArtifactRecord>(StatusCodes.Status201Created).Produces<ArtifactRecord>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{name}/versions/{version}/artifact", DownloadAsync).RequireAuthorization(Policies.Read).WithName("DownloadModelArtifact")
            .WithSummary("A model version's bytes, with their SHA-256 as ETag and in X-Content-Sha256.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{name}/versions/{version}/lineage", LineageAsync).RequireAuthorization(Policies.Read).WithName("GetModelLineage")
            .WithSummary("A model version's lineage: producing job and round, input datasets with their conditions, base model, workload, steps with energy and emissions, licence, restrictions, and the artifact held here.")
            .Produces<ModelLineageView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{name}/versions/{version}:pull", PullAsync).RequireAuthorization(Policies.Operate).WithName("PullModelArtifact")
            .WithSummary("Make this nation pull a model version's artifact from a peer ({\"from\": \"FR\"}) over the federation API; the bytes are verified against the peer's sha256 before they are stored, and the version is registered here.")
            .Accepts<PullRequest>("application/json").Produces<ArtifactRecord>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status502BadGateway);
        return app;
    }

    // Described for the document only: Accepts metadata would make routing answer 415 before authorization.
    private static Task DescribeBinaryBody(Microsoft.OpenApi.OpenApiOperation operation, Microsoft.AspNetCore.OpenApi.OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
        {
            Required = true,
            Description = "The artifact's bytes.",
            Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
            {
                ["application/octet-stream"] = new() { Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, Format = "binary" } },
            },
        };
        return Task.CompletedTask;
    }

    private static async Task<IResult> UploadAsync(string name, string version, HttpContext http, ArtifactUploads uploads, IOptions<ArtifactOptions> options)
    {
        if (!Federation.Silo.Catalogue.ModelEndpoints.TryParseRef(name, version, out var model, out var problem))
        {
            return problem!;
        }

        var request = http.Request;
        var mediaType = request.ContentType?.Split(';', 2)[0].Trim();
        if (!string.Equals(mediaType, "application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Send the artifact's bytes as application/octet-stream (got {(mediaType is null ? "no Content-Type" : $"'{mediaType}'")}).");
        }

        var header = request.Headers[ArtifactRoutes.Sha256Header].ToString();
        var query = request.Query[Sha256Query].ToString();
        if (header.Length > 0 && query.Length > 0 && !string.Equals(header, query, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Invalid("sha256", $"the {ArtifactRoutes.Sha256Header} header and the sha256 query parameter differ; send one");
        }

        var declaredText = header.Length > 0 ? header : query;
        if (declaredText.Length == 0)
        {
            return Problems.Invalid("sha256", $"is required: the SHA-256 of the bytes, in the {ArtifactRoutes.Sha256Header} header or the sha256 query parameter");
        }

        if (!Sha256Digest.TryParse(declaredText, out var declared, out var error))
        {
            return Problems.Invalid("sha256", error);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // The store counts the bytes itself; Kestrel's default (30 MB) is not the artifact limit.
            limit.MaxRequestBodySize = options.Value.MaxBytes + 1;
        }

        var answer = await uploads.UploadAsync(model, request.Body, request.ContentLength, declared, mediaType!, Caller.Of(http).Subject, http.RequestAborted);
        return Answer(http, answer, model);
    }

    private static async Task<IResult> DownloadAsync(string name, string version, HttpContext http, IArtifactMetadataStore metadata, ContentStore store)
    {
        if (!Federation.Silo.Catalogue.ModelEndpoints.TryParseRef(name, version, out var model, out var problem))
        {
            return problem!;
        }

        var artifact = await metadata.GetAsync(model, http.RequestAborted);
        var stream = artifact is null ? null : store.OpenRead(artifact.Sha256);
        if (artifact is null || stream is null)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "No artifact", $"this nation holds no bytes of model {model}: upload them (PUT …/artifact) or pull them from its home (POST …:pull)");
        }

        http.Response.Headers[ArtifactRoutes.Sha256Header] = artifact.Sha256.Value;
        http.Response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(artifact.Sha256.Value))}:";
        return TypedResults.Stream(stream, "application/octet-stream", entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{artifact.Sha256.Value}\""));
    }

    private static async Task<IResult> LineageAsync(string name, string version, HttpContext http, IGrainFactory grains, IArtifactMetadataStore metadata)
    {
        if (!Federation.Silo.Catalogue.ModelEndpoints.TryParseRef(name, version, out var model, out var problem))
        {
            return problem!;
        }

        var record = await grains.GetGrain<IModelArtifactGrain>(model.GrainKey).GetAsync();
        return record is null
            ? Problems.Status(StatusCodes.Status404NotFound, "Not found", $"model {model} is not registered in this nation")
            : TypedResults.Ok(ModelLineageView.Of(record, await metadata.GetAsync(model, http.RequestAborted)));
    }

    private static async Task<IResult> PullAsync(string name, string version, HttpContext http, ArtifactPuller puller, IHostApplicationLifetime lifetime)
    {
        if (!Federation.Silo.Catalogue.ModelEndpoints.TryParseRef(name, version, out var model, out var problem))
        {
            return problem!;
        }

        var (body, bodyProblem) = await JsonBody.ReadAsync<PullRequest>(http.Request);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        if (!NationCode.TryParse(body!.From, out var from, out var error))
        {
            return Problems.Invalid("from", body.From is null ? "is required: the nation to pull from, such as FR" : error);
        }

        // The silo's lifetime, not the request's: a client that goes away does not abort the pull (it completes, and is logged, either way).
        return Answer(http, await puller.PullAsync(model, from, Caller.Of(http).Subject, lifetime.ApplicationStopping), model);
    }

    private static IResult Answer(HttpContext http, ArtifactAnswer answer, ModelRef model)
    {
        if (answer.Problem is { } problem)
        {
            return problem;
        }

        http.Response.Headers.ETag = $"\"{answer.Record!.Sha256.Value}\"";
        return answer.Created
            ? TypedResults.Created($"/api/v1/models/{model.Name}/versions/{model.Version}/artifact", answer.Record)
            : TypedResults.Ok(answer.Record);
    }
}
