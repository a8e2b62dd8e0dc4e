using System.Globalization;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution;
using Federation.Grains.Jobs;
using Federation.Grains.Nations;
using Federation.Silo.Api;
using Federation.Silo.Jobs.Staging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Federation.Silo.Jobs.Outputs;

/// <summary>
/// The logs and outputs of the executions this nation runs: finds an execution's job directory (from
/// its record's run), serves its logs and output files, and decides with <see cref="OutputReleaseRule"/>
/// whether they may go to the job's origin nation (the inputs' terms read now: own datasets from their
/// grains, others from their homes).
/// </summary>
public sealed partial class ExecutionFiles(IGrainFactory grains, LocalNation local, DatasetTermsReader terms, FileDigestCache digests, ILogger<ExecutionFiles> logger)
{
    /// <summary>The execution of epoch <paramref name="epoch"/> of <paramref name="job"/> and its job directory, or a 404 problem saying why there is none.</summary>
    /// <param name="job">The job.</param>
    /// <param name="epoch">The epoch.</param>
    /// <param name="what">What is asked for, for the problem's wording: <c>logs</c> or <c>outputs</c>.</param>
    public async Task<(ExecutionRecord? Execution, JobDirectory? Directory, ProblemHttpResult? Problem)> FindAsync(JobRef job, int epoch, string what)
    {
        var execution = epoch >= 1 ? await grains.GetGrain<IExecutionGrain>(IExecutionGrain.KeyOf(job, epoch)).GetAsync() : null;
        if (execution is null)
        {
            return (null, null, Problems.Status(StatusCodes.Status404NotFound, "No such execution", $"{local.Code} was never offered epoch {epoch} of {job}"));
        }

        if (!execution.Admission.Admitted)
        {
            return (execution, null, Problems.Status(StatusCodes.Status404NotFound, "Nothing ran",
                $"{local.Code} refused epoch {epoch} of {job} ({execution.Admission.Reason}): nothing ran, so there are no {what}"));
        }

        if (execution.Run is not { Directory: { Length: > 0 } path })
        {
            if (execution.StartedAt is null && !execution.State.IsFinished())
            {
                return (execution, null, Problems.Status(StatusCodes.Status404NotFound, "Not started",
                    $"epoch {epoch} of {job} has not started in {local.Code} yet ({JobEvents.Name(execution.State)}): there are no {what} yet"));
            }

            var executor = ExecutorKinds.KindOf(execution.Run);
            return (execution, null, Problems.Status(StatusCodes.Status404NotFound, "No job directory", executor == ExecutorKind.Simulated
                ? $"epoch {epoch} of {job} ran in {local.Code} under the simulated executor, which keeps no logs or outputs"
                : $"epoch {epoch} of {job} has no job directory in {local.Code} (executor {executor.ToText()}): there are no {what}"));
        }

        if (!Directory.Exists(path))
        {
            return (execution, null, Problems.Status(StatusCodes.Status404NotFound, "Job directory gone",
                $"the job directory of epoch {epoch} of {job} is no longer on {local.Code}'s machines: its {what} were removed"));
        }

        return (execution, new JobDirectory(path), null);
    }

    /// <summary>
    /// The release rule for <paramref name="execution"/>'s <paramref name="what"/> to its origin, with
    /// the inputs' terms read now. Every decision is logged (audit).
    /// </summary>
    public async Task<ReleaseDecision> ReleaseAsync(ExecutionRecord execution, string what, string resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var inputs = new List<ReleaseInput>();
        foreach (var dataset in execution.Spec.Inputs.Distinct())
        {
            var (found, why) = await terms.ReadAsync(dataset, cancellationToken);
            inputs.Add(new ReleaseInput(dataset, found?.Residency, why));
        }

        var decision = OutputReleaseRule.Decide(execution.Job, execution.Epoch, local.Code, inputs, what, resource);
        if (decision.Released)
        {
            LogReleased(logger, what, execution.Job, execution.Epoch, execution.Job.Origin);
        }
        else
        {
            LogWithheld(logger, what, execution.Job, execution.Epoch, execution.Job.Origin, decision.Reason);
        }

        return decision;
    }

    /// <summary>A 403 (or, when terms could not be read, 503) problem for a decision that withholds.</summary>
    public ProblemHttpResult Withheld(ReleaseDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return decision.TermsUnknown
            ? Problems.Status(StatusCodes.Status503ServiceUnavailable, "Release cannot be decided now", decision.Reason,
                new Dictionary<string, object?> { ["dataset"] = decision.Dataset?.ToString(), ["withheldIn"] = local.Code.Value })
            : Problems.Status(StatusCodes.Status403Forbidden, "Stays in the executing nation", decision.Reason,
                new Dictionary<string, object?> { ["dataset"] = decision.Dataset?.ToString(), ["withheldIn"] = local.Code.Value });
    }

    /// <summary>Checks <c>stream</c> and <c>?tail=</c>; null when both are good, else a 400 problem.</summary>
    public static ProblemHttpResult? CheckLogRequest(string stream, HttpRequest request, out int? tail)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new ValidationErrors();
        if (!JobFiles.Streams.Contains(stream, StringComparer.Ordinal))
        {
            errors.Add("stream", $"'{stream}' is not a log: use {string.Join(" or ", JobFiles.Streams)}");
        }

        tail = null;
        if (request.Query.TryGetValue("tail", out var values))
        {
            if (values.Count == 1 && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var lines) && lines is >= 1 and <= JobFiles.MaxTail)
            {
                tail = lines;
            }
            else
            {
                errors.Add("tail", $"the number of last lines: 1 to {JobFiles.MaxTail}");
            }
        }

        return errors.IsEmpty ? null : Problems.Invalid(errors);
    }

    /// <summary>The log <paramref name="stream"/> of the job directory as text, whole or its last <paramref name="tail"/> lines.</summary>
    /// <param name="directory">The run's job directory.</param>
    /// <param name="stream">stdout or stderr.</param>
    /// <param name="tail">Last lines only, or null for all.</param>
    /// <param name="sent">Told the bytes sent, their SHA-256 and whether all went, once the answer ended (not called for a log not written yet).</param>
    public static IResult Log(JobDirectory directory, string stream, int? tail, Action<long, string, bool>? sent = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var path = JobFiles.LogPath(directory, stream)!;
        var file = new FileInfo(path);
        if (file.LinkTarget is not null)
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Log not served", $"the {stream} log of this run is a symbolic link; only regular files are served");
        }

        if (!file.Exists)
        {
            // Nothing written yet.
            return TypedResults.Text("", "text/plain; charset=utf-8");
        }

        long length;
        long offset;
        using (var log = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            length = log.Length;
            offset = tail is { } lines ? JobFiles.TailOffset(log, length, lines) : 0;
        }

        return new FileSliceResult(path, offset, length - offset, "text/plain; charset=utf-8", sent: sent);
    }

    /// <summary>The outputs listing of the job directory.</summary>
    public async Task<OutputListing> ListAsync(ExecutionRecord execution, JobDirectory directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        return new OutputListing(execution.Job.ToString(), execution.Epoch, local.Code.Value, await JobFiles.ListAsync(directory, digests, cancellationToken));
    }

    /// <summary>One output file, with its SHA-256 in <c>X-Content-Sha256</c>; 400 for a name that leaves the outputs, 404 for none.</summary>
    /// <param name="directory">The run's job directory.</param>
    /// <param name="name">The output's normalized path.</param>
    /// <param name="cancellationToken">Stops the digest.</param>
    /// <param name="sent">Told the bytes sent, their SHA-256 and whether all went, once the answer ended.</param>
    public async Task<IResult> OutputAsync(JobDirectory directory, string name, CancellationToken cancellationToken, Action<long, string, bool>? sent = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var (path, error, missing) = JobFiles.ResolveOutput(directory, name);
        if (path is null)
        {
            return missing
                ? Problems.Status(StatusCodes.Status404NotFound, "No such output", error!)
                : Problems.Invalid("name", error!);
        }

        try
        {
            var digest = await digests.Sha256Async(path, cancellationToken);
            var length = new FileInfo(path).Length;
            return new FileSliceResult(path, 0, length, "application/octet-stream", new Dictionary<string, string> { [DatasetContentEndpoints.Sha256Header] = digest }, sent);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "No such output", $"output '{name}' cannot be read now ({e.GetType().Name})");
        }
    }

    [LoggerMessage(EventId = 5621, Level = LogLevel.Information, Message = "Audit: released the {What} of {Job} epoch {Epoch} to its origin {Origin}")]
    private static partial void LogReleased(ILogger logger, string what, JobRef job, int epoch, NationCode origin);

    [LoggerMessage(EventId = 5622, Level = LogLevel.Warning, Message = "Audit: withheld the {What} of {Job} epoch {Epoch} from its origin {Origin}: {Reason}")]
    private static partial void LogWithheld(ILogger logger, string what, JobRef job, int epoch, NationCode origin, string reason);
}
