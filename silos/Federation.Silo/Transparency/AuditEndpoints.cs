using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Auth;
using Federation.Transparency;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Federation.Silo.Transparency;

/// <summary>/api/v1/audit: the nation's transparency log for auditors (entries, signed heads, proofs, a check).</summary>
public static class AuditEndpoints
{
    /// <summary>
    /// Who may read the log. The operator policy for now; the auditor role (issue 16 item 1) replaces
    /// it here, in one place.
    /// </summary>
    public const string AuditPolicy = Policies.Audit;

    private const int MaxVerifyPage = TransparencyQuery.MaxLimit;

    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/audit").WithUserApiProblems().WithTags("Audit").RequireAuthorization(AuditPolicy);
        group.MapGet("/entries", ListEntriesAsync).WithName("ListAuditEntries")
            .WithSummary("Entries of this nation's transparency log, filtered by job, dataset, peer, kind and time, in log order.");
        group.MapGet("/heads", ListHeadsAsync).WithName("ListAuditHeads")
            .WithSummary("The tree heads this nation signed, oldest first, from a size on.");
        group.MapGet("/heads/latest", LatestHeadAsync).WithName("GetLatestAuditHead")
            .WithSummary("The latest signed tree head.");
        group.MapGet("/proofs/inclusion", InclusionAsync).WithName("ProveAuditInclusion")
            .WithSummary("An inclusion proof for an entry in the tree of a given size (default: the latest signed head).");
        group.MapGet("/proofs/consistency", ConsistencyAsync).WithName("ProveAuditConsistency")
            .WithSummary("A consistency proof between two tree sizes.");
        group.MapPost("/verify", VerifyAsync).WithName("VerifyAuditLog")
            .WithSummary("This nation's own check of its whole log against its signed heads; the first bad entry is named.");
        group.MapPeerAuditEndpoints();
        return group;
    }

    private static async Task<Results<Ok<AuditEntryPage>, ProblemHttpResult>> ListEntriesAsync(
        ITransparencyLog log,
        string? job,
        string? dataset,
        string? peer,
        string? kind,
        DateTimeOffset? since,
        DateTimeOffset? until,
        long? from,
        int? limit,
        CancellationToken cancellationToken)
    {
        TransparencyEntryKind? wanted = null;
        if (kind is not null)
        {
            if (!TransparencyEntryKinds.TryParse(kind, out var parsed))
            {
                return Problems.Invalid("kind", $"one of {string.Join(", ", TransparencyEntryKinds.All)}");
            }

            wanted = parsed;
        }

        var query = new TransparencyQuery(job, dataset, peer, wanted, since, until, from ?? 0, limit ?? 100);
        if (query.Problem() is { } problem)
        {
            return Problems.Invalid(problem.Split(':')[0], problem);
        }

        var rows = await log.QueryAsync(query, cancellationToken);
        var next = rows.Count == query.Limit ? rows[^1].Index + 1 : (long?)null;
        return TypedResults.Ok(new AuditEntryPage([.. rows.Select(AuditEntry.From)], next));
    }

    private static async Task<Results<Ok<IReadOnlyList<AuditHead>>, ProblemHttpResult>> ListHeadsAsync(ITransparencyLog log, long? from, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > TransparencyQuery.MaxLimit)
        {
            return Problems.Invalid("limit", $"between 1 and {TransparencyQuery.MaxLimit}");
        }

        var heads = await log.HeadsAsync(from ?? 0, limit ?? 100, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<AuditHead>>([.. heads.Select(AuditHead.From)]);
    }

    private static async Task<Results<Ok<AuditHead>, ProblemHttpResult>> LatestHeadAsync(ITransparencyLog log, CancellationToken cancellationToken) =>
        await log.LatestHeadAsync(cancellationToken) is { } head
            ? TypedResults.Ok(AuditHead.From(head))
            : Problems.Status(StatusCodes.Status404NotFound, "No signed head yet", "This nation has not signed a tree head yet: its log is empty or the first head is due within the head interval.");

    /// <summary>The inclusion proof of entry <paramref name="index"/> at <paramref name="size"/> (default: the latest head's size).</summary>
    internal static async Task<Results<Ok<InclusionProofAnswer>, ProblemHttpResult>> InclusionAsync(ITransparencyLog log, TransparencyProver prover, long index, long? size, CancellationToken cancellationToken)
    {
        var latest = await log.LatestHeadAsync(cancellationToken);
        var treeSize = size ?? latest?.Head.Size ?? 0;
        var logSize = await log.SizeAsync(cancellationToken);
        if (treeSize < 1 || treeSize > logSize)
        {
            return Problems.Invalid("size", $"between 1 and the log's size ({logSize}); without size, the latest signed head's ({latest?.Head.Size.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none yet"})");
        }

        if (index < 0 || index >= treeSize)
        {
            return Problems.Invalid("index", $"between 0 and size - 1 ({treeSize - 1})");
        }

        var (entry, proof) = await prover.InclusionAsync(index, treeSize, cancellationToken);
        var head = (await log.HeadsAsync(treeSize, 1, cancellationToken)).FirstOrDefault(h => h.Head.Size == treeSize);
        return TypedResults.Ok(new InclusionProofAnswer(index, treeSize, AuditEntry.From(entry), [.. proof.Select(Convert.ToBase64String)], head is null ? null : AuditHead.From(head)));
    }

    /// <summary>The consistency proof from <paramref name="first"/> to <paramref name="second"/>.</summary>
    internal static async Task<Results<Ok<ConsistencyProofAnswer>, ProblemHttpResult>> ConsistencyAsync(ITransparencyLog log, TransparencyProver prover, long first, long second, CancellationToken cancellationToken)
    {
        var logSize = await log.SizeAsync(cancellationToken);
        if (second < 1 || second > logSize)
        {
            return Problems.Invalid("second", $"between 1 and the log's size ({logSize})");
        }

        if (first < 1 || first > second)
        {
            return Problems.Invalid("first", $"between 1 and second ({second})");
        }

        var proof = await prover.ConsistencyAsync(first, second, cancellationToken);
        return TypedResults.Ok(new ConsistencyProofAnswer(first, second, [.. proof.Select(Convert.ToBase64String)]));
    }

    private static async Task<Ok<AuditVerification>> VerifyAsync(ITransparencyLog log, TreeHeadSigner signer, CancellationToken cancellationToken)
    {
        var rows = new List<LoggedEntry>();
        while (true)
        {
            var page = await log.ReadAsync(rows.Count, MaxVerifyPage, cancellationToken);
            rows.AddRange(page);
            if (page.Count < MaxVerifyPage)
            {
                break;
            }
        }

        var heads = new List<SignedTreeHead>();
        while (true)
        {
            var page = await log.HeadsAsync(heads.Count == 0 ? 0 : heads[^1].Head.Size, MaxVerifyPage, cancellationToken);
            var fresh = page.Where(h => !heads.Any(k => k.Head.Size == h.Head.Size && k.Head.Time == h.Head.Time)).ToList();
            heads.AddRange(fresh);
            if (page.Count < MaxVerifyPage || fresh.Count == 0)
            {
                break;
            }
        }

        var report = LogAuditor.Verify(signer.Nation, rows, heads, [signer.Pin]);
        return TypedResults.Ok(new AuditVerification(report.Sound, report.Entries, report.Heads, report.FirstBadEntry, report.Problem, signer.Pin));
    }
}
