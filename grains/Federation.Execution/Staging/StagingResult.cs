using System.Collections.Immutable;

namespace Federation.Execution.Staging;

/// <summary>What staging did: the local path of each input and the bytes that crossed a border, or why it failed.</summary>
/// <param name="Succeeded">True when every input is in place and verified.</param>
/// <param name="Reason">For a failure, why (e.g. the checksum that did not match); otherwise a summary.</param>
/// <param name="Inputs">The inputs in place.</param>
public sealed record StagingResult(bool Succeeded, string Reason, ImmutableArray<StagedInput> Inputs)
{
    /// <summary>Bytes copied from other nations.</summary>
    public long TransferredBytes => Inputs.Where(i => i.Transferred).Sum(i => i.Bytes);

    /// <summary>A failure with <paramref name="reason"/>.</summary>
    public static StagingResult Failed(string reason) => new(false, reason, []);
}
