using System.Security.Cryptography;
using Federation.Contracts.Access;
using Federation.Contracts.Catalogue;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Grains.Nations;
using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Auth;
using Federation.Silo.Transparency;
using Federation.Transparency;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Federation.Silo.Access;

/// <summary>
/// Data-access grants of the nation's controlled datasets: a person requests one for themselves or
/// their consortium (<c>POST /api/v1/datasets/{id}/grants/requests</c>); the nation admin, acting as
/// the data access committee, approves (signing it) and revokes; everyone lists those that concern
/// them (admins and auditors: all). Every change goes into the transparency log.
/// </summary>
public static class DataAccessEndpoints
{
    /// <summary>Rule of requesting for someone else or for another nation's user.</summary>
    public const string RequestRule = "a data-access grant is requested for yourself (or a consortium you belong to) as this nation knows you; naming another user or nation needs the nation-admin role";

    private const int MaxValidDays = 1825;
    private const int MaxJustification = 2000;
    private const int GrantIdHexDigits = 16;
    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>Maps the endpoints.</summary>
    public static void MapDataAccessEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithUserApiProblems().WithTags("Data access");
        api.MapPost("/datasets/{id}/grants/requests", RequestAsync).RequireAuthorization(Policies.Submit).WithName("RequestDataAccessGrant")
            .WithSummary("Ask the data access committee for access to a controlled dataset, for yourself or your consortium, for one DUO purpose (201).")
            .Accepts<DataAccessGrantRequest>("application/json").ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/grants", ListAsync).RequireAuthorization(Policies.Jobs).WithName("ListDataAccessGrants")
            .WithSummary("Data-access grants that name you or your consortia (nation admins and auditors: all); ?dataset= filters.")
            .ProducesValidationProblem();
        api.MapPost("/grants/{id}:approve", ApproveAsync).RequireAuthorization(Policies.Admin).WithName("ApproveDataAccessGrant")
            .WithSummary("Approve a requested grant for validDays (default 365), signed with the data access committee's key.")
            .Accepts<DataAccessGrantApproval>("application/json").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/grants/{id}:revoke", RevokeAsync).RequireAuthorization(Policies.Admin).WithName("RevokeDataAccessGrant")
            .WithSummary("Revoke a grant (or turn down a request): refused from then on.")
            .Accepts<DataAccessGrantRevocation>("application/json").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Created<DataAccessGrant>, ProblemHttpResult>> RequestAsync(
        string id, HttpContext http, IGrainFactory grains, LocalNation local, IDataAccessGrantStore store, TransparencyRecorder recorder, TimeProvider time)
    {
        var caller = Caller.Of(http);
        var admin = caller.Roles.Contains(Roles.NationAdmin);
        if (!DatasetId.TryParse(id, out var datasetId, out var idError))
        {
            return Problems.Invalid("id", idError);
        }

        var (body, problem) = await JsonBody.ReadAsync<DataAccessGrantRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        var purpose = ParsePurpose(body!.Purpose, errors);
        var disease = Text(body.DiseaseTerm, "diseaseTerm", 100, errors);
        if (purpose == ResearchCategory.DiseaseSpecific && disease is null)
        {
            errors.Add("diseaseTerm", "is required for purpose DS: the disease term, e.g. MONDO:0004992");
        }
        else if (purpose is { } p && p != ResearchCategory.DiseaseSpecific && p != ResearchCategory.ClinicalCare && disease is not null)
        {
            errors.Add("diseaseTerm", $"is only for purpose DS or CC, not {DataAccessGrantSignature.Code(p)}");
        }

        var user = Text(body.User, "user", 300, errors);
        var consortium = Text(body.Consortium, "consortium", 100, errors);
        if (user is not null && consortium is not null)
        {
            errors.Add("consortium", "name a user or a consortium, not both");
        }

        var nation = local.Code;
        if (body.Nation is { Length: > 0 } nationText && !NationCode.TryParse(nationText, out nation, out var nationError))
        {
            errors.Add("nation", nationError);
        }

        var justification = Text(body.Justification, "justification", MaxJustification, errors) ?? "";
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        if (!admin && ((user is not null && user != caller.Subject) || nation != local.Code || (consortium is not null && !caller.InConsortium(consortium))))
        {
            return Forbidden(RequestRule);
        }

        var record = await grains.GetGrain<IDatasetGrain>(datasetId.GrainKey).GetAsync();
        if (record is not { Status: CatalogueStatus.Active })
        {
            return Problems.Status(StatusCodes.Status404NotFound, "No such dataset", $"{local.Code} has no active dataset '{datasetId}'");
        }

        if (record.Spec.Access is not { RequiresGrant: true })
        {
            return Problems.Invalid("id", $"dataset {datasetId} does not require a data-access grant (its access.requiresGrant is false): jobs may use it within its data-use conditions");
        }

        var grant = new DataAccessGrant
        {
            Id = $"dag-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(GrantIdHexDigits / 2))}",
            Dataset = new DatasetRef(local.Code, datasetId),
            User = consortium is null ? user ?? caller.Subject : null,
            Consortium = consortium,
            Nation = nation,
            Purpose = purpose!.Value,
            DiseaseTerm = disease,
            Justification = justification,
            Status = DataAccessGrantStatus.Requested,
            RequestedBy = caller.Subject,
            RequestedAt = time.GetUtcNow(),
        };
        await store.AddAsync(grant, http.RequestAborted);
        await RecordChangeAsync(recorder, grant, "grant-requested", caller.Subject, http.RequestAborted);
        return TypedResults.Created($"/api/v1/grants?dataset={datasetId}", grant);
    }

    private static async Task<Results<Ok<List<DataAccessGrant>>, ProblemHttpResult>> ListAsync(HttpContext http, IDataAccessGrantStore store)
    {
        var caller = Caller.Of(http);
        DatasetId? dataset = null;
        if (http.Request.Query["dataset"].ToString() is { Length: > 0 } text)
        {
            if (!DatasetId.TryParse(text, out var parsed, out var error))
            {
                return Problems.Invalid("dataset", error);
            }

            dataset = parsed;
        }

        var all = caller.Open || caller.Roles.Contains(Roles.NationAdmin) || caller.Roles.Contains(Roles.Auditor);
        var grants = await store.ListAsync(dataset, http.RequestAborted);
        return TypedResults.Ok(grants.Where(g => all || g.User == caller.Subject || g.RequestedBy == caller.Subject || caller.InConsortium(g.Consortium)).ToList());
    }

    private static async Task<Results<Ok<DataAccessGrant>, ProblemHttpResult>> ApproveAsync(
        string id, HttpContext http, IDataAccessGrantStore store, DataAccessCommittee committee, TransparencyRecorder recorder, TimeProvider time)
    {
        var (body, problem) = await JsonBody.ReadAsync<DataAccessGrantApproval>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var days = body!.ValidDays ?? 365;
        if (days is < 1 or > MaxValidDays)
        {
            return Problems.Invalid("validDays", $"must be 1 to {MaxValidDays} days, got {days}");
        }

        if (!IsGrantId(id))
        {
            return Problems.Invalid("id", $"a grant id is 'dag-' and {GrantIdHexDigits} lowercase hex digits (GET /api/v1/grants lists them)");
        }

        if (await store.GetAsync(id, http.RequestAborted) is not { } grant)
        {
            return NotFound(id);
        }

        if (grant.Status != DataAccessGrantStatus.Requested)
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Not a pending request", $"grant {id} is {grant.Status.ToString().ToLowerInvariant()}; only a requested grant can be approved (request a new one)");
        }

        var caller = Caller.Of(http);
        var now = time.GetUtcNow();
        var approved = await committee.SignAsync(
            grant with { Status = DataAccessGrantStatus.Approved, ApprovedBy = caller.Subject, ApprovedAt = now, ExpiresAt = now.AddDays(days) },
            http.RequestAborted);
        if (!await store.UpdateAsync(approved, DataAccessGrantStatus.Requested, http.RequestAborted))
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Changed meanwhile", $"grant {id} was approved or revoked by someone else meanwhile");
        }

        await RecordChangeAsync(recorder, approved, "grant-approved", caller.Subject, http.RequestAborted);
        return TypedResults.Ok(approved);
    }

    private static async Task<Results<Ok<DataAccessGrant>, ProblemHttpResult>> RevokeAsync(
        string id, HttpContext http, IDataAccessGrantStore store, TransparencyRecorder recorder, TimeProvider time)
    {
        var (body, problem) = await JsonBody.ReadAsync<DataAccessGrantRevocation>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        var reason = Text(body!.Reason, "reason", 500, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        if (!IsGrantId(id))
        {
            return Problems.Invalid("id", $"a grant id is 'dag-' and {GrantIdHexDigits} lowercase hex digits (GET /api/v1/grants lists them)");
        }

        if (await store.GetAsync(id, http.RequestAborted) is not { } grant)
        {
            return NotFound(id);
        }

        if (grant.Status == DataAccessGrantStatus.Revoked)
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Revoked already", $"grant {id} was revoked at {grant.RevokedAt:O}");
        }

        var caller = Caller.Of(http);
        var revoked = grant with { Status = DataAccessGrantStatus.Revoked, RevokedBy = caller.Subject, RevokedAt = time.GetUtcNow() };
        if (!await store.UpdateAsync(revoked, grant.Status, http.RequestAborted))
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Changed meanwhile", $"grant {id} was changed by someone else meanwhile; read it again");
        }

        await RecordChangeAsync(recorder, revoked, "grant-revoked", caller.Subject, http.RequestAborted, reason);
        return TypedResults.Ok(revoked);
    }

    private static async Task RecordChangeAsync(TransparencyRecorder recorder, DataAccessGrant grant, string change, string by, CancellationToken ct, string? reason = null)
    {
        List<KeyValuePair<string, string>> detail = [new("change", change), new("grant", grant.Id), new("purpose", DataAccessGrantSignature.Code(grant.Purpose)), new("nation", grant.Nation.Value)];
        if (grant.Consortium is { } consortium)
        {
            detail.Add(new("consortium", consortium));
        }

        if (reason is not null)
        {
            detail.Add(new("reason", reason));
        }

        // The person the grant names is its subject (kept as a digest); a consortium's grant names the person who acted.
        await recorder.RecordAsync(TransparencyEntryKind.DataAccess, dataset: grant.Dataset.ToString(), subject: grant.User ?? by, detail: detail, cancellationToken: ct);
    }

    private static ResearchCategory? ParsePurpose(string? text, ValidationErrors errors)
    {
        ResearchCategory? purpose = text switch
        {
            "GRU" => ResearchCategory.General,
            "HMB" => ResearchCategory.HealthMedicalBiomedical,
            "DS" => ResearchCategory.DiseaseSpecific,
            "POA" => ResearchCategory.PopulationOriginsAncestry,
            "CC" => ResearchCategory.ClinicalCare,
            _ => null,
        };
        if (purpose is null)
        {
            errors.Add("purpose", $"is required: one DUO purpose of GRU, HMB, DS, POA or CC{(text is null ? "" : $", got '{text}'")}");
        }

        return purpose;
    }

    private static string? Text(string? text, string field, int max, ValidationErrors errors)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (trimmed.Length > max || trimmed.Any(char.IsControl))
        {
            errors.Add(field, $"must be 1 to {max} characters without control characters");
            return null;
        }

        return trimmed;
    }

    // Checked before the store sees it: a NUL in a route value would fail PostgreSQL's text parameter.
    private static bool IsGrantId(string id) =>
        id.Length == 4 + GrantIdHexDigits && id.StartsWith("dag-", StringComparison.Ordinal) && !id.AsSpan(4).ContainsAnyExcept(LowerHex);

    private static ProblemHttpResult NotFound(string id) =>
        Problems.Status(StatusCodes.Status404NotFound, "No such grant", $"there is no data-access grant '{id}' (GET /api/v1/grants lists them)");

    private static ProblemHttpResult Forbidden(string rule) =>
        Problems.Status(StatusCodes.Status403Forbidden, "Forbidden", rule, new Dictionary<string, object?> { ["rule"] = rule });
}
