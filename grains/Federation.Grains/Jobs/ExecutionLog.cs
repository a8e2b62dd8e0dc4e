using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Microsoft.Extensions.Logging;

namespace Federation.Grains.Jobs;

/// <summary>What an execution's adapter logs.</summary>
internal static partial class ExecutionLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Admitted job {Job} epoch {Epoch} from {From}: {Reason}")]
    public static partial void Admitted(ILogger logger, JobRef job, int epoch, NationCode from, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused job {Job} epoch {Epoch} offered by {From} by rule {Rule}: {Reason}")]
    public static partial void Refused(ILogger logger, JobRef job, int epoch, NationCode from, string rule, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AUDIT: job {Job} epoch {Epoch} offered by {From} refused by rule {Rule}: {Reason}")]
    public static partial void RefusedAudited(ILogger logger, JobRef job, int epoch, NationCode from, string rule, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} epoch {Epoch} ended: {State}, {Message}")]
    public static partial void Ended(ILogger logger, JobRef job, int epoch, JobState state, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} epoch {Epoch}: {Input} refused by rule {Rule}: {Message}")]
    public static partial void Rejected(ILogger logger, JobRef job, int epoch, string input, string rule, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} epoch {Epoch}: an effect outside the grain's turn failed: {Error}")]
    public static partial void EffectFailed(ILogger logger, JobRef job, int epoch, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Job} epoch {Epoch}: the capacity ledger did not take back its accelerators in {Attempts} attempts; they stay counted as held until the ledger's audit finds the run over: {Error}")]
    public static partial void ReleaseLost(ILogger logger, JobRef job, int epoch, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} epoch {Epoch}: its run's bill could not be computed (failure {Failures}; asked for again later, its ending is reported with it): {Error}")]
    public static partial void BillFailed(ILogger logger, JobRef job, int epoch, int failures, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} epoch {Epoch}: it could not leave the line for accelerators (the line forgets a run it no longer hears from): {Error}")]
    public static partial void LeaveLineFailed(ILogger logger, JobRef job, int epoch, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} epoch {Epoch}: what placing its run needs could not be read (it looks again after its recheck): {Error}")]
    public static partial void LaunchPostponed(ILogger logger, JobRef job, int epoch, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} epoch {Epoch}: the capacity ledger did not answer the {What} ({Next}): {Error}")]
    public static partial void LedgerUnanswered(ILogger logger, JobRef job, int epoch, string what, string next, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} epoch {Epoch}: {Kind} to the origin not delivered (attempt {Attempts}): {Error}")]
    public static partial void NotDelivered(ILogger logger, string kind, JobRef job, int epoch, int attempts, string? error);
}
