using System.Text.Json;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Jobs.Requests;
using Federation.Contracts.Json;
using Federation.Contracts.Results;
using Federation.Grains;
using Federation.Grains.Jobs;
using Federation.Grains.Nations;
using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Api.Requests;
using Federation.Silo.Auth;
using Federation.Silo.Shares;
using Federation.Silo.Auth.Audit;
using Federation.Silo.Routing;
using Orleans.Streams;

namespace Federation.Silo.Jobs;

/// <summary>The jobs of the user API: submit, list, show, explain, cancel, and follow events (server-sent).</summary>
public static class JobEndpoints
{
    private static readonly TimeSpan s_catchUpEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_keepAliveEvery = TimeSpan.FromSeconds(15);

    /// <summary>Maps the endpoints.</summary>
    public static void MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/jobs").WithTags("Jobs").WithUserApiProblems();
        group.MapPost("/", SubmitAsync).RequireAuthorization(Policies.Submit).WithName("SubmitJob")
            .WithSummary("Submit a job; the same id with the same spec again is idempotent, with another spec a 409.")
            .Accepts<JobRequest>("application/json").Produces<JobRecord>(StatusCodes.Status201Created).Produces<JobRecord>()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.Jobs).WithName("ListJobs")
            .WithSummary("Jobs this nation originated that the caller may see (own, its consortia's, or all for admins, operators, auditors and platform staff), by id; filter by state, owner and nation.")
            .WithQuery(QueryParameterDocs.Jobs).Produces<JobPage>();
        group.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.Jobs).WithName("GetJob")
            .WithSummary("One job this nation originated: state, placement, result, energy.").Produces<JobRecord>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/decision", ExplainAsync).RequireAuthorization(Policies.Jobs).WithName("ExplainJob")
            .WithSummary("Why pending, why there: the routing decision and every admission answer.")
            .Produces<JobExplanation>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}:cancel", CancelAsync).RequireAuthorization(Policies.Jobs).WithName("CancelJob")
            .WithSummary("Cancel a job, with an optional reason; a finished job is a 409 naming its state.")
            .Accepts<WithdrawRequest>(isOptional: true, "application/json")
            .Produces<JobRecord>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        app.MapGroup("/api/v1/executions").WithUserApiProblems()
            .MapGet("/{origin}/{id}/{epoch:int}", ExecutionAsync).RequireAuthorization(Policies.Jobs).WithTags("Jobs").WithName("GetExecution")
            .WithSummary("One epoch of a job this nation admitted (or refused) for an origin: admission, allocation, lease, result, fencing; seen by whoever may see the job.")
            .Produces<ExecutionRecord>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/events", EventsAsync).RequireAuthorization(Policies.Jobs).WithName("JobEvents")
            .WithSummary("Server-sent events: every state change of the job, from the start (or after Last-Event-ID); ends when the job finishes.")
            .Produces<JobEvent>(StatusCodes.Status200OK, "text/event-stream").ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> SubmitAsync(HttpRequest request, JobRequestParser parser, RoutePlanner planner, IGrainFactory grains, LocalNation local, TimeProvider time)
    {
        // The same checks as a plan (datasets exist, workload offered somewhere); a nation that cannot be asked now does not stop a submission.
        // The plan made here is the job's first: its grain offers it without planning again.
        var (spec, plan, problem) = await RouteEndpoints.ReadAndPlanAsync(request, parser, planner, time);
        if (problem is not null)
        {
            return problem;
        }

        if (plan!.Decision?.Federated is { Planned: false } unplanned)
        {
            return Problems.Status(StatusCodes.Status422UnprocessableEntity, "Federated job not planned", unplanned.Summary);
        }

        if (JobAccess.CheckSubmit(Caller.Of(request.HttpContext), spec!.Owner) is { } refused)
        {
            return await AccessRefusals.ForbiddenAsync(request.HttpContext, JobAccess.SubmitRuleName, refused.Rule, "submit", spec.RefIn(local.Code).ToString(), refused.Field);
        }

        if (await StudentSubmission.CheckAsync(request.HttpContext, spec, spec.RefIn(local.Code).ToString()) is { } student)
        {
            return student;
        }

        var job = spec.RefIn(local.Code);
        var result = await grains.GetGrain<IJobGrain>(IJobGrain.KeyOf(job)).SubmitAsync(spec, plan!.Decision);
        return CommandResults.ToHttp(result, request.HttpContext, j => j.Version, j => $"/api/v1/jobs/{j.Ref.Id}");
    }

    private static async Task<IResult> ListAsync(HttpRequest request, IJobIndex index)
    {
        var errors = new ValidationErrors();
        JobState? state = null;
        if (QueryParameters.Text(request, "state", errors) is { } stateText)
        {
            state = Enum.GetValues<JobState>().Where(s => JobEvents.Name(s).Equals(stateText, StringComparison.OrdinalIgnoreCase)).Cast<JobState?>().FirstOrDefault();
            if (state is null)
            {
                errors.Add("state", $"'{stateText}' is not a job state: {string.Join(", ", Enum.GetValues<JobState>().Select(JobEvents.Name))}");
            }
        }

        var nation = QueryParameters.Text(request, "nation", errors);
        if (nation is not null && !NationCode.TryParse(nation, out _, out var nationError))
        {
            errors.Add("nation", nationError);
        }

        var query = new JobQuery
        {
            State = state,
            Owner = QueryParameters.Text(request, "owner", errors),
            Nation = nation,
            After = QueryParameters.Text(request, "after", errors),
            Limit = QueryParameters.Limit(request, errors),
        };
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        // Jobs the caller may not see are left out of the page (a page may then hold fewer than the limit; its cursor still pages on).
        var page = await index.QueryAsync(query, request.HttpContext.RequestAborted);
        var caller = Caller.Of(request.HttpContext);
        return TypedResults.Ok(caller.SeesAll ? page : page with { Items = [.. page.Items.Where(j => JobAccess.CheckSee(caller, j.Spec) is null)] });
    }

    private static async Task<IResult> ExecutionAsync(string origin, string id, int epoch, HttpContext http, IGrainFactory grains, LocalNation local)
    {
        if (!JobRef.TryParse($"{origin}/{id}", out var job, out _) || epoch < 1
            || await grains.GetGrain<IExecutionGrain>(IExecutionGrain.KeyOf(job, epoch)).GetAsync() is not { } execution)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "No such execution", $"{local.Code} was never offered epoch {epoch} of {origin}/{id}");
        }

        // The record holds the job's spec (its owner): the rule of seeing the job applies.
        return JobAccess.CheckSee(Caller.Of(http), execution.Spec) is { } rule
            ? await AccessRefusals.ForbiddenAsync(http, JobAccess.SeeRuleName, rule, "execution", job.ToString())
            : TypedResults.Ok(execution);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, IGrainFactory grains, LocalNation local)
    {
        if (await FindAsync(id, grains, local) is not { } job)
        {
            return NotFound(id, local);
        }

        return JobAccess.CheckSee(Caller.Of(http), job.Record.Spec) is { } rule
            ? await AccessRefusals.ForbiddenAsync(http, JobAccess.SeeRuleName, rule, "get", job.Record.Ref.ToString())
            : TypedResults.Ok(job.Record);
    }

    private static async Task<IResult> ExplainAsync(string id, HttpContext http, IGrainFactory grains, LocalNation local)
    {
        if (await FindAsync(id, grains, local) is not { } job)
        {
            return NotFound(id, local);
        }

        if (JobAccess.CheckSee(Caller.Of(http), job.Record.Spec) is { } rule)
        {
            return await AccessRefusals.ForbiddenAsync(http, JobAccess.SeeRuleName, rule, "explain", job.Record.Ref.ToString());
        }

        return TypedResults.Ok(JobExplanation.Of(job.Record));
    }

    private static async Task<IResult> CancelAsync(string id, HttpRequest request, IGrainFactory grains, LocalNation local)
    {
        var reason = "cancelled by the user";

        // A body is optional; it may come with a length or chunked (no Content-Length).
        if (request.ContentLength > 0 || (request.ContentLength is null && request.ContentType is not null))
        {
            var (body, problem) = await JsonBody.ReadAsync<WithdrawRequest>(request);
            if (problem is not null)
            {
                return problem;
            }

            reason = body!.Reason is { Length: > 0 and <= 500 } given ? given : reason;
        }

        if (await FindAsync(id, grains, local) is not { } found)
        {
            return NotFound(id, local);
        }

        if (JobAccess.CheckAct(Caller.Of(request.HttpContext), found.Record.Spec) is { } rule)
        {
            return await AccessRefusals.ForbiddenAsync(request.HttpContext, JobAccess.ActRuleName, rule, "cancel", found.Record.Ref.ToString());
        }

        var result = await found.Grain.CancelAsync(reason);
        if (result.Status == CommandStatus.Conflict && result.Value is { } finished)
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Job already finished", result.Reason!,
                new Dictionary<string, object?> { ["state"] = JobEvents.Name(finished.State) });
        }

        return CommandResults.ToHttp(result, request.HttpContext, j => j.Version);
    }

    private static async Task EventsAsync(string id, HttpContext http, IGrainFactory grains, IClusterClient client, LocalNation local)
    {
        var ct = http.RequestAborted;
        if (await FindAsync(id, grains, local) is not { } found)
        {
            await NotFound(id, local).ExecuteAsync(http);
            return;
        }

        if (JobAccess.CheckSee(Caller.Of(http), found.Record.Spec) is { } rule)
        {
            await (await AccessRefusals.ForbiddenAsync(http, JobAccess.SeeRuleName, rule, "events", found.Record.Ref.ToString())).ExecuteAsync(http);
            return;
        }

        var after = long.TryParse(http.Request.Headers["Last-Event-ID"].ToString(), out var lastId) ? lastId : 0;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await http.Response.Body.FlushAsync(ct);
        if (found.Record.State.IsFinished() && after >= found.Record.LastEvent)
        {
            // Resumed after the last event of a finished job: nothing more will come.
            return;
        }

        var lastWrite = DateTimeOffset.UtcNow;

        // Live items arrive on the nation's event stream; the stored events fill any gap (before
        // subscribing, and every few seconds in case a stream item was lost).
        var arrived = System.Threading.Channels.Channel.CreateUnbounded<JobEvent>();
        var stream = client.GetStreamProvider(GrainStorageNames.EventStreams).GetStream<JobEvent>(StreamId.Create(JobEvents.Namespace, found.Record.Ref.ToString()));
        var subscription = await stream.SubscribeAsync((e, _) => arrived.Writer.WriteAsync(e, ct).AsTask());
        try
        {
            var grain = found.Grain;
            var finished = false;
            while (!ct.IsCancellationRequested && !finished)
            {
                foreach (var e in await grain.GetEventsAsync(after))
                {
                    await WriteAsync(http, e, ct);
                    after = e.Sequence;
                    lastWrite = DateTimeOffset.UtcNow;
                    finished |= e.State.IsFinished();
                }

                if (finished || (await grain.GetAsync() is { } now && now.State.IsFinished() && after >= now.LastEvent))
                {
                    break;
                }

                if (DateTimeOffset.UtcNow - lastWrite > s_keepAliveEvery)
                {
                    // A comment line: keeps proxies from closing a quiet stream and lets clients notice a dead one.
                    await http.Response.WriteAsync(": keep-alive\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                    lastWrite = DateTimeOffset.UtcNow;
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(s_catchUpEvery);
                try
                {
                    while (await arrived.Reader.WaitToReadAsync(wait.Token))
                    {
                        while (arrived.Reader.TryRead(out var live))
                        {
                            if (live.Sequence == after + 1)
                            {
                                await WriteAsync(http, live, ct);
                                after = live.Sequence;
                                lastWrite = DateTimeOffset.UtcNow;
                                finished |= live.State.IsFinished();
                            }
                            else if (live.Sequence > after + 1)
                            {
                                // A gap: read the stored events on the next round.
                                wait.Cancel();
                            }
                        }

                        if (finished)
                        {
                            break;
                        }
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // Time to catch up from the stored events.
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (OrleansException)
        {
            // The silo is shutting down: the client sees the stream end and resumes elsewhere with Last-Event-ID.
        }
        finally
        {
            await subscription.UnsubscribeAsync();
        }
    }

    private static async Task WriteAsync(HttpContext http, JobEvent e, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(e, FederationJson.Options);
        await http.Response.WriteAsync($"id: {e.Sequence}\nevent: {JobEvents.Name(e.State)}\ndata: {json}\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
    }

    private static async Task<(IJobGrain Grain, JobRecord Record)?> FindAsync(string id, IGrainFactory grains, LocalNation local)
    {
        if (!TryRef(id, local, out var job))
        {
            return null;
        }

        var grain = grains.GetGrain<IJobGrain>(IJobGrain.KeyOf(job));
        return await grain.GetAsync() is { } record ? (grain, record) : null;
    }

    private static bool TryRef(string id, LocalNation local, out JobRef job) => JobRef.TryParse($"{local.Code}/{id}", out job, out _);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(string id, LocalNation local) =>
        Problems.Status(StatusCodes.Status404NotFound, "No such job", $"{local.Code} has no job '{id}'; jobs are listed with GET /api/v1/jobs in the nation they were submitted to");
}
