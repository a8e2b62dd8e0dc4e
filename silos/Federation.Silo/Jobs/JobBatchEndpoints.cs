using System.Collections.Immutable;
using System.Text.Json;
using Federation.Contracts.Grains;
using Federation.Contracts.Jobs;
using Federation.Contracts.Jobs.Requests;
using Federation.Contracts.Results;
using Federation.Contracts.Routing;
using Federation.Grains.Jobs;
using Federation.Grains.Nations;
using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Api.Requests;
using Federation.Silo.Auth;
using Federation.Silo.Jobs.Batch;
using Federation.Silo.Routing;

namespace Federation.Silo.Jobs;

/// <summary>
/// <c>POST /api/v1/jobs:batch</c>: many job submissions in one call, for throughput. Each entry
/// is checked exactly as <c>POST /api/v1/jobs</c> checks a job (the parser's rules, then the plan's:
/// the inputs exist and the workload is offered somewhere) and submitted to its Job grain; the
/// grains' state writes share transactions (group commit of the <c>jobs</c> grain storage).
/// </summary>
/// <remarks>
/// <para>
/// Entries are independent: an entry that breaks a rule (or is not even a JSON object of the right
/// shape) stores nothing and is answered <c>invalid</c> with the field and the rule, and the other
/// entries go ahead. The answer is 200 with one entry per job spec, in the request's order. An
/// entry is answered <c>created</c> only after a committed transaction holds it. Sending the same
/// batch again is idempotent (<c>existing</c>); another spec under a stored id is a <c>conflict</c>.
/// </para>
/// <para>
/// The body itself must be well-formed, at most <see cref="MaxJobs"/> entries and
/// <c>Federation:MaxRequestBodyBytes</c> long; otherwise 400 (or 413), problem+json, and nothing
/// is stored. An id repeated inside one batch is submitted in order: the later entry sees the
/// earlier one (<c>existing</c> or <c>conflict</c>).
/// </para>
/// </remarks>
public static class JobBatchEndpoints
{
    /// <summary>Most job specs per call.</summary>
    public const int MaxJobs = 1000;


    /// <summary>Maps the endpoint.</summary>
    public static void MapJobBatchEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1").WithUserApiProblems().MapPost("/jobs:batch", SubmitBatchAsync).RequireAuthorization(Policies.Submit).WithTags("Jobs").WithName("SubmitJobBatch")
            .WithSummary($"Submit up to {MaxJobs} jobs at once: one answer per job in order (created, existing, conflict, invalid with the field, failed); a bad entry stores nothing and does not stop the others.")
            .Accepts<JobBatchRequest>("application/json")
            .Produces<JobBatchResult>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    private static async Task<IResult> SubmitBatchAsync(HttpRequest request, JobRequestParser parser, RoutePlanner planner, IGrainFactory grains, LocalNation local, TimeProvider time)
    {
        var (body, problem) = await JsonBody.ReadAsync<JobBatchEnvelope>(request);
        if (problem is not null)
        {
            return problem;
        }

        var items = body!.Jobs;
        if (items is null || items.Count == 0)
        {
            return Problems.Invalid("jobs", $"is required: an array of 1 to {MaxJobs} job specs, each as POST /api/v1/jobs takes it");
        }

        if (items.Count > MaxJobs)
        {
            return Problems.Invalid("jobs", $"holds {items.Count} job specs; at most {MaxJobs} per call: split them into several batches");
        }

        var now = time.GetUtcNow();
        var answers = new JobBatchEntry?[items.Count];
        var specs = new JobSpec?[items.Count];
        var caller = Caller.Of(request.HttpContext);
        for (var i = 0; i < items.Count; i++)
        {
            (specs[i], answers[i]) = Parse(i, items[i], parser, now);
            if (specs[i] is { } parsed && JobAccess.CheckSubmit(caller, parsed.Owner) is { } refused)
            {
                (specs[i], answers[i]) = (null, Invalid(i, parsed.Id, refused.Field, refused.Rule));
            }
            else if (specs[i] is { Federated: not null } federated)
            {
                // A batch is planned once per inputs and workload; a federated job's plan is its own.
                (specs[i], answers[i]) = (null, Invalid(i, federated.Id, "federated", "federated jobs are submitted one at a time (POST /api/v1/jobs), not in a batch"));
            }
        }

        // The plan's checks (RoutePlanner.PlanAllAsync: the inputs exist and may be read from here, the
        // workload is offered and its arguments fit) read only the inputs and the workload: once per
        // distinct pair, not once per job (each foreign input is a request to its home nation). Each
        // job's decision is its first plan: its grain offers it without planning again.
        var ct = request.HttpContext.RequestAborted;
        var decisions = new RoutingDecision?[items.Count];
        var groups = Enumerable.Range(0, items.Count).Where(i => specs[i] is not null)
            .GroupBy(i => PlanKey(specs[i]!), StringComparer.Ordinal)
            .Select(g => g.ToList())
            .ToList();
        await Task.WhenAll(groups.Select(async group =>
        {
            var plans = await planner.PlanAllAsync([.. group.Select(i => specs[i]!)], ct);
            for (var k = 0; k < group.Count; k++)
            {
                var i = group[k];
                if (plans[k].Errors is { } errors)
                {
                    answers[i] = Invalid(i, specs[i]!.Id, errors.ToDictionary());
                    specs[i] = null;
                }
                else
                {
                    decisions[i] = plans[k].Decision;
                }
            }
        }));

        // All at once, so that the grains' writes meet in the same transactions; an id repeated in
        // the batch waits for its earlier entry.
        var waves = Enumerable.Range(0, items.Count).Where(i => specs[i] is not null)
            .GroupBy(i => specs[i]!.Id, StringComparer.Ordinal)
            .SelectMany(g => g.Select((i, occurrence) => (Index: i, Occurrence: occurrence)))
            .GroupBy(x => x.Occurrence)
            .OrderBy(w => w.Key);
        foreach (var wave in waves)
        {
            await Task.WhenAll(wave.Select(async x => answers[x.Index] = await SubmitAsync(x.Index, specs[x.Index]!, decisions[x.Index], grains, local)));
        }

        var entries = answers.Select(a => a!).ToImmutableArray();
        return TypedResults.Ok(new JobBatchResult(
            entries,
            Count(entries, JobBatchOutcome.Created),
            Count(entries, JobBatchOutcome.Existing),
            Count(entries, JobBatchOutcome.Conflict),
            Count(entries, JobBatchOutcome.Invalid),
            Count(entries, JobBatchOutcome.Failed)));
    }

    private static (JobSpec? Spec, JobBatchEntry? Invalid) Parse(int index, JsonElement item, JobRequestParser parser, DateTimeOffset now)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return (null, Invalid(index, null, "$", $"must be a JSON object (a job spec as POST /api/v1/jobs takes it), got {item.ValueKind.ToString().ToLowerInvariant()}"));
        }

        JobRequest? job;
        try
        {
            job = item.Deserialize<JobRequest>(JsonBody.Strict);
        }
        catch (JsonException e)
        {
            var id = item.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : null;
            return (null, Invalid(index, id, JsonBody.PathOf(e), JsonBody.Describe(e)));
        }

        var errors = new ValidationErrors();
        var spec = parser.Parse(job!, now, errors);
        return spec is null ? (null, Invalid(index, job!.Id, errors.ToDictionary())) : (spec, null);
    }

    private static async Task<JobBatchEntry> SubmitAsync(int index, JobSpec spec, RoutingDecision? decision, IGrainFactory grains, LocalNation local)
    {
        CommandResult<JobRecord> result;
        try
        {
            result = await grains.GetGrain<IJobGrain>(IJobGrain.KeyOf(spec.RefIn(local.Code))).SubmitAsync(spec, decision);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not acknowledged: the grain's write did not commit (or its outcome is unknown); resubmitting is idempotent.
            return new JobBatchEntry(index, spec.Id, JobBatchOutcome.Failed,
                Problem: new JobBatchProblem("$", $"not stored now ({e.GetBaseException().Message}); send this job again (the same spec again is idempotent)"));
        }

        var state = result.Value is { } record ? JobEvents.Name(record.State) : null;
        return result.Status switch
        {
            CommandStatus.Created => new JobBatchEntry(index, spec.Id, JobBatchOutcome.Created, state, result.Value!.Version),
            CommandStatus.Unchanged or CommandStatus.Ok => new JobBatchEntry(index, spec.Id, JobBatchOutcome.Existing, state, result.Value!.Version),
            CommandStatus.Conflict => new JobBatchEntry(index, spec.Id, JobBatchOutcome.Conflict, state, result.Value?.Version, new JobBatchProblem("id", result.Reason!)),
            _ => new JobBatchEntry(index, spec.Id, JobBatchOutcome.Invalid, state, result.Value?.Version, new JobBatchProblem(result.Field ?? "$", result.Reason ?? result.Status.ToString())),
        };
    }

    private static JobBatchEntry Invalid(int index, string? id, Dictionary<string, string[]> errors)
    {
        var first = errors.First();
        return new JobBatchEntry(index, id, JobBatchOutcome.Invalid, Problem: new JobBatchProblem(first.Key, first.Value[0], errors));
    }

    private static JobBatchEntry Invalid(int index, string? id, string field, string reason) =>
        Invalid(index, id, new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [reason] });

    private static string PlanKey(JobSpec spec) =>
        JsonSerializer.Serialize(spec.Inputs.Select(d => d.ToString()).Append(spec.Workload.ToString()).ToArray()) + JsonSerializer.Serialize(spec.Workload.Arguments);

    private static int Count(ImmutableArray<JobBatchEntry> entries, string outcome) => entries.Count(e => e.Outcome == outcome);
}
