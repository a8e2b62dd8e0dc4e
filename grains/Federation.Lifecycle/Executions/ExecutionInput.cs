using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;

namespace Federation.Lifecycle.Executions;

/// <summary>What an execution's decider takes: a message from the origin, an effect's outcome, or a tick.</summary>
public abstract record ExecutionInput;

/// <summary>An offer of this epoch, with the facts the adapter gathered for its admission.</summary>
/// <param name="From">The sending nation.</param>
/// <param name="Offer">The offer.</param>
/// <param name="Local">This nation, which answers.</param>
/// <param name="FencedBeforeOffer">True when the origin fenced the epoch before the offer arrived.</param>
/// <param name="Facts">What admission needs; null when they were not gathered (fenced, or not this execution's offer).</param>
public sealed record OfferReceived(NationCode From, JobOffer Offer, NationCode Local, bool FencedBeforeOffer, AdmissionFacts? Facts) : ExecutionInput;

/// <summary>A cancellation (by a user) or a fence (the epoch is stale) from a nation.</summary>
/// <param name="From">The sending nation.</param>
/// <param name="Cancellation">What it asks.</param>
public sealed record CancellationReceived(NationCode From, JobCancellation Cancellation) : ExecutionInput;

/// <summary>The origin's answer to a lease renewal, or its failure to arrive.</summary>
/// <param name="Delivered">True when the origin answered.</param>
/// <param name="Answer">The answer, when delivered.</param>
public sealed record LeaseAnswered(bool Delivered, LeaseAnswer? Answer) : ExecutionInput;

/// <summary>Time passed; <paramref name="Launch"/> is set when the adapter gathered what placing a run needs.</summary>
/// <param name="Launch">The workload's standing and the pools' capacity, or null.</param>
public sealed record Tick(LaunchFacts? Launch = null) : ExecutionInput;

/// <summary>
/// Something the execution may be waiting for changed (the capacity ledger freed accelerators, the lease
/// sweeper found its entry due): a run waiting for accelerators looks for them at the next tick instead of
/// at its next recheck. Changes nothing otherwise.
/// </summary>
public sealed record Woken : ExecutionInput;

/// <summary>
/// What placing the run needs could not be gathered (the capacity ledger did not answer: a silo going, a failed
/// write): a run waiting for accelerators looks again after its recheck, not at every tick. Changes nothing otherwise.
/// </summary>
/// <param name="Reason">Why.</param>
public sealed record LaunchFactsFailed(string Reason) : ExecutionInput;

/// <summary>The accelerators were allocated: node id to count.</summary>
/// <param name="Allocations">What each node gave.</param>
public sealed record AllocationDone(ImmutableSortedDictionary<string, int> Allocations) : ExecutionInput;

/// <summary>The allocation failed (and was rolled back): the run waits for the next tick.</summary>
/// <param name="Reason">Why.</param>
public sealed record AllocationFailed(string Reason) : ExecutionInput;

/// <summary>The inputs were staged.</summary>
/// <param name="TransferredBytes">Bytes that crossed a border.</param>
/// <param name="Reason">A sentence about the staging.</param>
public sealed record StagingDone(long TransferredBytes, string Reason) : ExecutionInput;

/// <summary>The inputs could not be staged.</summary>
/// <param name="Reason">Why.</param>
public sealed record StagingFailed(string Reason) : ExecutionInput;

/// <summary>The executor started the run.</summary>
/// <param name="Handle">The executor's handle (a process id, a Slurm job id).</param>
/// <param name="Directory">The job directory.</param>
/// <param name="Status">The run as the executor saw it when starting.</param>
public sealed record RunStarted(string? Handle, string? Directory, ObservedRun Status) : ExecutionInput;

/// <summary>The executor could not start the run.</summary>
/// <param name="Reason">Why.</param>
public sealed record RunStartFailed(string Reason) : ExecutionInput;

/// <summary>The executor was asked about the run.</summary>
/// <param name="Status">What it said.</param>
public sealed record RunPolled(ObservedRun Status) : ExecutionInput;

/// <summary>The executor could not be asked about the run: ask again at the next poll.</summary>
/// <param name="Reason">Why.</param>
public sealed record RunPollFailed(string Reason) : ExecutionInput;

/// <summary>The run's bill (energy, emissions, transfer) for the ending being written.</summary>
/// <param name="Result">The result with the bill.</param>
public sealed record Billed(JobResult Result) : ExecutionInput;

/// <summary>The run's bill could not be computed (a grain it reads did not answer): it is asked for again after <see cref="ExecutionSettings.QueuedRecheck"/>.</summary>
/// <param name="Reason">Why.</param>
public sealed record BillFailed(string Reason) : ExecutionInput;
