using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;

namespace Federation.Lifecycle.Executions;

/// <summary>
/// What the decider asks its adapter to do. Allocation, release and the bill are grain calls done in
/// the turn; staging, start, poll and stop run outside the turn and report back as inputs, so that a
/// cancellation or a renewal is never held up by a copy or a slow Slurm command.
/// </summary>
public abstract record ExecutionEffect;

/// <summary>Allocate <paramref name="Count"/> accelerators of model <paramref name="Slug"/> on GPU nodes; answer with <see cref="AllocationDone"/> or <see cref="AllocationFailed"/>.</summary>
/// <param name="Slug">The model.</param>
/// <param name="Count">How many.</param>
public sealed record AllocateNodes(AcceleratorSlug Slug, int Count) : ExecutionEffect;

/// <summary>Release the accelerators held on these nodes.</summary>
/// <param name="Allocations">Node id to count.</param>
public sealed record ReleaseNodes(ImmutableSortedDictionary<string, int> Allocations) : ExecutionEffect;

/// <summary>Stage the inputs for <paramref name="Run"/>; answer with <see cref="StagingDone"/> or <see cref="StagingFailed"/>.</summary>
/// <param name="Run">The run the inputs are for.</param>
public sealed record StageInputs(ExecutionRun Run) : ExecutionEffect;

/// <summary>Start <paramref name="Run"/> with its executor; answer with <see cref="RunStarted"/> or <see cref="RunStartFailed"/>.</summary>
/// <param name="Run">The run.</param>
public sealed record StartRun(ExecutionRun Run) : ExecutionEffect;

/// <summary>Ask the executor about <paramref name="Run"/>; answer with <see cref="RunPolled"/> or <see cref="RunPollFailed"/>.</summary>
/// <param name="Run">The run.</param>
/// <param name="StartedAt">When it started running, if it did.</param>
public sealed record PollRun(ExecutionRun Run, DateTimeOffset? StartedAt) : ExecutionEffect;

/// <summary>Stop <paramref name="Run"/> for good (kill the process, cancel the Slurm job).</summary>
/// <param name="Run">The run.</param>
public sealed record StopRun(ExecutionRun Run) : ExecutionEffect;

/// <summary>Signal <paramref name="Run"/>'s workload to checkpoint (SIGUSR1); it goes on running. Nothing to answer.</summary>
/// <param name="Run">The run.</param>
public sealed record SignalCheckpoint(ExecutionRun Run) : ExecutionEffect;

/// <summary>Bill the run that ends; answer with <see cref="Billed"/>.</summary>
/// <param name="Record">The execution as it ran (with its allocations).</param>
/// <param name="Elapsed">How long it ran.</param>
/// <param name="ExitCode">Its exit code, if any.</param>
/// <param name="Message">The ending's sentence.</param>
/// <param name="Again">True when the bill is asked for again (the first could not be computed): what the ending
/// gives back (a Slurm run's hold in the capacity ledger, the run's place in the shares) was given back the first time.</param>
public sealed record BillRun(ExecutionRecord Record, TimeSpan Elapsed, int? ExitCode, string Message, bool Again = false) : ExecutionEffect;

/// <summary>Remember, in memory and within its budget, that the origin fenced an epoch this nation was not offered yet.</summary>
public sealed record RememberPreOfferFence : ExecutionEffect;

/// <summary>Drop every unsent report: nothing a fenced epoch says counts any more.</summary>
public sealed record DropOutbox : ExecutionEffect;

/// <summary>An offer was decided: log it (an audited refusal as an AUDIT line). Nothing to answer.</summary>
/// <param name="From">The nation that offered it.</param>
/// <param name="Verdict">The decision, with the rule that refused it.</param>
public sealed record AdmissionDecided(NationCode From, AdmissionVerdict Verdict) : ExecutionEffect;
