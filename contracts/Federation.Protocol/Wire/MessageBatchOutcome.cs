using System.Text.Json;

namespace Federation.Protocol.Wire;

/// <summary>
/// How one entry of a batch ended, as its own route would have answered it: the status, and either the
/// answer (200: an admission, a report answer or a lease answer; 204: none) or a problem (RFC 9457,
/// its <c>errors</c> named from the batch's root, e.g. <c>entries[3].body.epoch</c>).
/// </summary>
public sealed class MessageBatchOutcome
{
    /// <summary>The entry's index in the batch, from 0.</summary>
    public required int Index { get; init; }

    /// <summary>The entry's request id, when it had a valid one.</summary>
    public Guid? Id { get; init; }

    /// <summary>The HTTP status the entry's own route would have answered.</summary>
    public required int Status { get; init; }

    /// <summary>The answer of a successful entry that has one.</summary>
    public JsonElement? Answer { get; init; }

    /// <summary>The problem (problem+json object) of an entry that was refused.</summary>
    public JsonElement? Problem { get; init; }
}
