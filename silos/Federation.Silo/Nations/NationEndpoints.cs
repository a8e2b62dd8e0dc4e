using Federation.Contracts.Grains;
using Federation.Contracts.Nations;
using Federation.Reference;
using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Api.Requests;
using Federation.Silo.Auth;

namespace Federation.Silo.Nations;

/// <summary>/api/v1/nation and /api/v1/reference: this nation's profile and the reference tables it uses.</summary>
public static class NationEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void MapNationEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithUserApiProblems();
        api.MapGet("/nation", GetAsync).RequireAuthorization(Policies.Read).WithTags("Nation").WithName("GetNation")
            .WithSummary("This nation's profile, with its version as ETag.").Produces<NationProfile>();
        api.MapPut("/nation", UpdateAsync).RequireAuthorization(Policies.Operate).WithTags("Nation").WithName("UpdateNation")
            .WithSummary("Replace this nation's profile; If-Match with the version read is required.")
            .Accepts<NationRequest>("application/json").Produces<NationProfile>().ProducesVersionedWriteProblems(ifMatchRequired: true);
        api.MapGet("/reference/accelerators", (ReferenceTables t) => TypedResults.Ok(t.Accelerators.ToList()))
            .RequireAuthorization(Policies.Read).WithTags("Reference").WithName("ListAccelerators")
            .WithSummary("The shipped accelerator table: slug, memory, TDP, throughput.");
        api.MapGet("/reference/grid-intensity", (ReferenceTables t) => TypedResults.Ok(t.GridZones.ToList()))
            .RequireAuthorization(Policies.Read).WithTags("Reference").WithName("ListGridIntensity")
            .WithSummary("The shipped grid carbon intensity table, by zone.");
    }

    private static async Task<IResult> GetAsync(HttpContext http, IGrainFactory grains)
    {
        var profile = await NationProfiles.CurrentAsync(grains);
        http.Response.Headers.ETag = Versioning.ETag(profile.Version);
        return TypedResults.Ok(profile);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, IGrainFactory grains, CatalogueRequestParser parser)
    {
        var (expected, ifMatchProblem) = Versioning.RequireIfMatch(http.Request);
        if (ifMatchProblem is not null)
        {
            return ifMatchProblem;
        }

        var (body, problem) = await JsonBody.ReadAsync<NationRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var current = await NationProfiles.CurrentAsync(grains);
        var errors = new ValidationErrors();
        var profile = parser.ParseNation(body!, current, errors);
        if (profile is null)
        {
            return Problems.Invalid(errors);
        }

        var result = await grains.GetGrain<INationGrain>(INationGrain.Key).UpdateAsync(profile, expected ?? current.Version);
        return CommandResults.ToHttp(result, http, p => p.Version);
    }
}
