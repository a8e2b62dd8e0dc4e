using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Nations;
using Federation.Grains.Jobs.Leases;
using Federation.Grains.Nations;
using Federation.Silo.Transparency;
using Federation.Transparency;

namespace Federation.Silo.Drain;

/// <summary>
/// Drains this nation and says what it still holds. The executions are those of the lease index
/// (every execution that holds a lease or owes its origin reports has an entry there); each is asked
/// for its record and its unacknowledged reports. A give-back goes to every live one. Every change
/// of the drain (not a restatement of it) is a <c>membership</c> entry of the transparency log.
/// </summary>
public sealed partial class NationDrainer(IGrainFactory grains, DrainSwitch drainSwitch, ILeaseIndex leases, IServiceProvider services, ILogger<NationDrainer> logger)
{
    /// <summary>The most executions one status lists (and one give-back reaches; repeat it for more).</summary>
    public const int MaxListed = 1000;

    /// <summary>Where the drain stands.</summary>
    public async Task<NationDrainStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var drain = await grains.GetGrain<INationDrainGrain>(INationDrainGrain.Key).GetAsync();
        return Status(drain, await ExecutionsAsync(cancellationToken), 0);
    }

    /// <summary>Starts the drain (giving the live executions back when <paramref name="giveBack"/>), or ends it; <paramref name="by"/> is the caller (kept in the log only as its digest).</summary>
    public async Task<NationDrainStatus> SetAsync(bool draining, bool giveBack, string reason, string by, CancellationToken cancellationToken)
    {
        var grain = grains.GetGrain<INationDrainGrain>(INationDrainGrain.Key);
        var before = await grain.GetAsync();
        var drain = draining ? await grain.DrainAsync(giveBack, reason) : await grain.UndrainAsync();
        drainSwitch.Set(drain);
        LogDrainChanged(logger, drain.Draining, drain.GiveBack, drain.Reason);
        var givenBack = 0;
        if (drain is { Draining: true, GiveBack: true })
        {
            // Admission refuses from here on (this silo's switch is set), so what is live now is all there is to give back.
            foreach (var execution in (await ExecutionsAsync(cancellationToken)).Where(e => e.Live))
            {
                if (await grains.GetGrain<IExecutionGrain>(IExecutionGrain.KeyOf(execution.Job, execution.Epoch)).GiveBackAsync(drain.Reason))
                {
                    givenBack++;
                    LogGivenBack(logger, execution.Job, execution.Epoch);
                }
            }
        }

        if (drain.Version != before.Version || givenBack > 0)
        {
            await RecordAsync(drain, draining ? reason : before.Reason, givenBack, by);
        }

        return Status(drain, await ExecutionsAsync(cancellationToken), givenBack);
    }

    private async Task RecordAsync(NationDrain drain, string reason, int givenBack, string by)
    {
        if (services.GetService<TransparencyRecorder>() is not { } recorder)
        {
            return;
        }

        // A failed append is logged by the recorder; the drain it records stands.
        await recorder.RecordAsync(
            TransparencyEntryKind.Membership,
            rule: drain.Draining ? "drain" : "undrain",
            subject: by,
            detail:
            [
                new("reason", reason.Length > TransparencyEntry.MaxDetailValue ? reason[..TransparencyEntry.MaxDetailValue] : reason),
                new("giveBack", drain.GiveBack ? "true" : "false"),
                new("givenBack", givenBack.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("version", drain.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ]);
    }

    private static NationDrainStatus Status(NationDrain drain, IReadOnlyList<DrainedExecution> executions, int givenBack) => new()
    {
        Draining = drain.Draining,
        GiveBack = drain.GiveBack,
        Reason = drain.Reason,
        Since = drain.Since,
        Running = executions.Count(e => e.Live && e.State == JobState.Running),
        Leased = executions.Count(e => e.Live),
        PendingOutbox = executions.Count(e => !e.Live && e.OwedReports > 0),
        GivenBack = givenBack,
        Executions = executions,
    };

    private async Task<IReadOnlyList<DrainedExecution>> ExecutionsAsync(CancellationToken cancellationToken)
    {
        var keys = await leases.ListAsync(LeaseKind.Execution, MaxListed, cancellationToken);
        var found = await Task.WhenAll(keys.Select(async key =>
        {
            var grain = grains.GetGrain<IExecutionGrain>(key.Key);
            var record = await grain.GetAsync();
            if (record is null)
            {
                return null;
            }

            var owed = await grain.OwedReportsAsync();
            var live = record is { Admission.Admitted: true, Fenced: false } && !record.State.IsFinished() && record.State != JobState.Requeued;
            // An entry that holds nothing and owes nothing is one the sweeper has not removed yet.
            return live || owed > 0 ? new DrainedExecution(record.Job, record.Epoch, record.State, live, owed) : null;
        }));
        return [.. found.OfType<DrainedExecution>()];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Nation drain changed: draining {Draining}, give-back {GiveBack}, reason '{Reason}'")]
    private static partial void LogDrainChanged(ILogger logger, bool draining, bool giveBack, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gave epoch {Epoch} of {Job} back to its origin (nation drain)")]
    private static partial void LogGivenBack(ILogger logger, JobRef job, int epoch);
}
