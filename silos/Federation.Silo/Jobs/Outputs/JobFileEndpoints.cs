using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution;
using Federation.Grains.Jobs;
using Federation.Grains.Nations;
using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Auth;
using Federation.Silo.Auth.Audit;
using Federation.Silo.Peering;
using Federation.Silo.Transparency;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Federation.Silo.Jobs.Outputs;

/// <summary>
/// Logs and outputs of jobs. In the executing nation, for its operators:
/// <c>/api/v1/executions/{origin}/{id}/{epoch}/logs/{stream}|outputs|outputs/{name}</c>; for the job's
/// origin over the federation API: <c>/federation/v1/jobs/{origin}/{id}/{epoch}/...</c>, under the
/// release rule (<see cref="OutputReleaseRule"/>). In the origin, for its users:
/// <c>/api/v1/jobs/{id}/logs/{stream}|outputs|outputs/{name}</c> of the job's current epoch, read
/// locally when it ran here, else fetched from the nation that ran it.
/// </summary>
public static class JobFileEndpoints
{
    private const string Text = "text/plain";
    private const string Binary = "application/octet-stream";

    /// <summary>Maps the user API endpoints on <paramref name="app"/> and the federation ones on <paramref name="federation"/>.</summary>
    public static void MapJobFileEndpoints(this IEndpointRouteBuilder app, RouteGroupBuilder federation)
    {
        var executions = app.MapGroup("/api/v1/executions/{origin}/{id}/{epoch:int}").WithTags("Jobs").WithUserApiProblems().RequireAuthorization(Policies.Operate);
        executions.MapGet("/logs/{stream}", ExecutionLogAsync).WithName("GetExecutionLog").WithQuery(QueryParameterDocs.Tail)
            .WithSummary("A log (stdout or stderr) of a run in this nation, as text; ?tail=N for its last N lines.")
            .Produces(StatusCodes.Status200OK, contentType: Text).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        executions.MapGet("/outputs", ExecutionOutputsAsync).WithName("ListExecutionOutputs")
            .WithSummary("The files a run in this nation wrote to its outputs directory: name, size, sha256, time.")
            .Produces<OutputListing>().ProducesProblem(StatusCodes.Status404NotFound);
        executions.MapGet("/outputs/{**name}", ExecutionOutputAsync).WithName("GetExecutionOutput")
            .WithSummary("One output file of a run in this nation (sha256 in X-Content-Sha256); a name leaving the outputs directory is refused.")
            .Produces(StatusCodes.Status200OK, contentType: Binary).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        var jobs = app.MapGroup("/api/v1/jobs/{id}").WithTags("Jobs").WithUserApiProblems().RequireAuthorization(Policies.Jobs);
        jobs.MapGet("/logs/{stream}", JobLogAsync).WithName("GetJobLog").WithQuery(QueryParameterDocs.Tail)
            .WithSummary("A log (stdout or stderr) of the job's current epoch, wherever it ran; ?tail=N. A nation that ran it on data that must stay there refuses (403).")
            .Produces(StatusCodes.Status200OK, contentType: Text).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        jobs.MapGet("/outputs", JobOutputsAsync).WithName("ListJobOutputs")
            .WithSummary("The outputs of the job's current epoch, wherever it ran. A nation that ran it on data that must stay there refuses (403).")
            .Produces<OutputListing>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        jobs.MapGet("/outputs/{**name}", JobOutputAsync).WithName("GetJobOutput")
            .WithSummary("One output file of the job's current epoch (sha256 in X-Content-Sha256), wherever it ran.")
            .Produces(StatusCodes.Status200OK, contentType: Binary).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        federation.MapGet("/jobs/{origin}/{id}/{epoch:int}/logs/{stream}", FederationLogAsync).WithName("FederationGetJobLog").WithQuery(QueryParameterDocs.Tail)
            .WithSummary("For the job's origin: a log of a run here, unless an input's residency keeps it here (403 naming the dataset).")
            .Produces(StatusCodes.Status200OK, contentType: Text).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        federation.MapGet("/jobs/{origin}/{id}/{epoch:int}/outputs", FederationOutputsAsync).WithName("FederationListJobOutputs")
            .WithSummary("For the job's origin: the outputs of a run here, unless an input's residency keeps them here (403 naming the dataset).")
            .Produces<OutputListing>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        federation.MapGet("/jobs/{origin}/{id}/{epoch:int}/outputs/{**name}", FederationOutputAsync).WithName("FederationGetJobOutput")
            .WithSummary("For the job's origin: one output file of a run here, under the same rule.")
            .Produces(StatusCodes.Status200OK, contentType: Binary).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    // The executing nation's own operators: no release rule (nothing leaves the nation).
    private static async Task<IResult> ExecutionLogAsync(string origin, string id, int epoch, string stream, HttpRequest request, ExecutionFiles files, LocalNation local)
    {
        if (ExecutionFiles.CheckLogRequest(stream, request, out var tail) is { } invalid)
        {
            return invalid;
        }

        var (_, directory, problem) = await FindExecutionAsync(origin, id, epoch, "logs", files, local);
        return problem ?? ExecutionFiles.Log(directory!, stream, tail);
    }

    private static async Task<IResult> ExecutionOutputsAsync(string origin, string id, int epoch, HttpContext http, ExecutionFiles files, LocalNation local)
    {
        var (execution, directory, problem) = await FindExecutionAsync(origin, id, epoch, "outputs", files, local);
        return problem ?? (IResult)TypedResults.Ok(await files.ListAsync(execution!, directory!, http.RequestAborted));
    }

    private static async Task<IResult> ExecutionOutputAsync(string origin, string id, int epoch, string name, HttpContext http, ExecutionFiles files, LocalNation local)
    {
        if (!JobFiles.TryNormalizeName(name, out var normalized, out var error))
        {
            return Problems.Invalid("name", error);
        }

        var (_, directory, problem) = await FindExecutionAsync(origin, id, epoch, "outputs", files, local);
        return problem ?? await files.OutputAsync(directory!, normalized, http.RequestAborted);
    }

    // The job's origin, over the federation API: only the origin, and only what the release rule lets go.
    private static async Task<IResult> FederationLogAsync(string origin, string id, int epoch, string stream, HttpContext http, ExecutionFiles files, LocalNation local, TransferRecorder transfers)
    {
        if (ExecutionFiles.CheckLogRequest(stream, http.Request, out var tail) is { } invalid)
        {
            return invalid;
        }

        var (execution, directory, problem) = await ReleasableAsync(origin, id, epoch, "logs", $"logs/{stream}", http, files, local);
        return problem ?? ExecutionFiles.Log(directory!, stream, tail, Served(http, transfers, new(execution!.Job, epoch, "log", stream), tail is null ? "complete" : "partial"));
    }

    private static async Task<IResult> FederationOutputsAsync(string origin, string id, int epoch, HttpContext http, ExecutionFiles files, LocalNation local)
    {
        var (execution, directory, problem) = await ReleasableAsync(origin, id, epoch, "outputs", "outputs", http, files, local);
        return problem ?? (IResult)TypedResults.Ok(await files.ListAsync(execution!, directory!, http.RequestAborted));
    }

    private static async Task<IResult> FederationOutputAsync(string origin, string id, int epoch, string name, HttpContext http, ExecutionFiles files, LocalNation local, TransferRecorder transfers)
    {
        if (!JobFiles.TryNormalizeName(name, out var normalized, out var error))
        {
            return Problems.Invalid("name", error);
        }

        var (execution, directory, problem) = await ReleasableAsync(origin, id, epoch, "outputs", "outputs", http, files, local);
        return problem ?? await files.OutputAsync(directory!, normalized, http.RequestAborted, Served(http, transfers, new(execution!.Job, epoch, "output", normalized), "complete"));
    }

    /// <summary>What logs a job file served to its origin as an <c>artifact-transfer</c> (direction out), without holding the answer.</summary>
    private static Action<long, string, bool> Served(HttpContext http, TransferRecorder transfers, TransferRecorder.JobFile file, string whole)
    {
        var peer = http.GetPeer().Code;
        var request = http.GetFederationRequestId();
        return (bytes, sha256, complete) =>
            _ = transfers.RecordAsync(new TransferRecorder.FileTransfer(file, peer, Outbound: true, bytes, sha256, complete ? whole : "aborted", request));
    }

    // The origin's users: the current epoch, here or where it ran.
    private static async Task<IResult> JobLogAsync(string id, string stream, HttpContext http, IGrainFactory grains, LocalNation local, ExecutionFiles files, OutputRelay relay)
    {
        if (ExecutionFiles.CheckLogRequest(stream, http.Request, out var tail) is { } invalid)
        {
            return invalid;
        }

        var (record, problem) = await CurrentRunAsync(id, http, grains, local);
        if (problem is not null)
        {
            return problem;
        }

        if (record!.Nation == local.Code)
        {
            var (_, directory, missing) = await files.FindAsync(record.Ref, record.Epoch, "logs");
            return missing ?? ExecutionFiles.Log(directory!, stream, tail);
        }

        var query = tail is { } lines ? $"?tail={lines}" : "";
        return await relay.RelayAsync(record.Nation!.Value, OutputRelay.FederationPath(record.Ref, record.Epoch, $"logs/{stream}") + query, http.RequestAborted,
            new TransferRecorder.JobFile(record.Ref, record.Epoch, "log", stream), tail is null ? "complete" : "partial");
    }

    private static async Task<IResult> JobOutputsAsync(string id, HttpContext http, IGrainFactory grains, LocalNation local, ExecutionFiles files, OutputRelay relay)
    {
        var (record, problem) = await CurrentRunAsync(id, http, grains, local);
        if (problem is not null)
        {
            return problem;
        }

        if (record!.Nation == local.Code)
        {
            var (execution, directory, missing) = await files.FindAsync(record.Ref, record.Epoch, "outputs");
            return missing ?? (IResult)TypedResults.Ok(await files.ListAsync(execution!, directory!, http.RequestAborted));
        }

        return await relay.RelayAsync(record.Nation!.Value, OutputRelay.FederationPath(record.Ref, record.Epoch, "outputs"), http.RequestAborted);
    }

    private static async Task<IResult> JobOutputAsync(string id, string name, HttpContext http, IGrainFactory grains, LocalNation local, ExecutionFiles files, OutputRelay relay)
    {
        if (!JobFiles.TryNormalizeName(name, out var normalized, out var error))
        {
            return Problems.Invalid("name", error);
        }

        var (record, problem) = await CurrentRunAsync(id, http, grains, local);
        if (problem is not null)
        {
            return problem;
        }

        if (record!.Nation == local.Code)
        {
            var (_, directory, missing) = await files.FindAsync(record.Ref, record.Epoch, "outputs");
            return missing ?? await files.OutputAsync(directory!, normalized, http.RequestAborted);
        }

        var escaped = string.Join('/', normalized.Split('/').Select(Uri.EscapeDataString));
        return await relay.RelayAsync(record.Nation!.Value, OutputRelay.FederationPath(record.Ref, record.Epoch, $"outputs/{escaped}"), http.RequestAborted,
            new TransferRecorder.JobFile(record.Ref, record.Epoch, "output", normalized));
    }

    private static async Task<(ExecutionRecord? Execution, JobDirectory? Directory, ProblemHttpResult? Problem)> FindExecutionAsync(
        string origin, string id, int epoch, string what, ExecutionFiles files, LocalNation local) =>
        JobRef.TryParse($"{origin}/{id}", out var job, out _)
            ? await files.FindAsync(job, epoch, what)
            : (null, null, Problems.Status(StatusCodes.Status404NotFound, "No such execution", $"{local.Code} was never offered epoch {epoch} of {origin}/{id}"));

    /// <summary>The job directory when the caller is the job's origin and the release rule lets <paramref name="what"/> go; else the problem.</summary>
    private static async Task<(ExecutionRecord? Execution, JobDirectory? Directory, ProblemHttpResult? Problem)> ReleasableAsync(
        string origin, string id, int epoch, string what, string resource, HttpContext http, ExecutionFiles files, LocalNation local)
    {
        var peer = http.GetPeer().Code;
        if (!string.Equals(origin, peer, StringComparison.Ordinal))
        {
            return (null, null, Problems.Status(StatusCodes.Status403Forbidden, "Not the job's origin",
                $"{peer} may read the logs and outputs of its own jobs only; {origin}/{id} belongs to {origin}"));
        }

        var (execution, directory, problem) = await FindExecutionAsync(origin, id, epoch, what, files, local);
        if (problem is not null)
        {
            return (null, null, problem);
        }

        var decision = await files.ReleaseAsync(execution!, what, resource, http.RequestAborted);
        return decision.Released ? (execution, directory, null) : (null, null, files.Withheld(decision));
    }

    /// <summary>The job's record when it has an epoch in some nation; else a 404 problem saying why there is nothing to read.</summary>
    /// <remarks>Only the job's owner, its consortium, admins and operators may read them (<see cref="JobAccess.CheckAct"/>): others get 403 naming the rule.</remarks>
    private static async Task<(JobRecord? Record, ProblemHttpResult? Problem)> CurrentRunAsync(string id, HttpContext http, IGrainFactory grains, LocalNation local)
    {
        var record = JobRef.TryParse($"{local.Code}/{id}", out var job, out _) ? await grains.GetGrain<IJobGrain>(IJobGrain.KeyOf(job)).GetAsync() : null;
        if (record is null)
        {
            return (null, Problems.Status(StatusCodes.Status404NotFound, "No such job",
                $"{local.Code} has no job '{id}'; jobs are listed with GET /api/v1/jobs in the nation they were submitted to"));
        }

        if (JobAccess.CheckAct(Caller.Of(http), record.Spec) is { } rule)
        {
            return (null, await AccessRefusals.ForbiddenAsync(http, JobAccess.ActRuleName, rule, "outputs", record.Ref.ToString()));
        }

        if (record.Epoch < 1 || record.Nation is null)
        {
            return (null, Problems.Status(StatusCodes.Status404NotFound, "Not run yet",
                $"job {record.Ref} has not run yet: it is {JobEvents.Name(record.State)} ({record.StateReason}); its logs and outputs exist once a nation runs it"));
        }

        return (record, null);
    }
}
