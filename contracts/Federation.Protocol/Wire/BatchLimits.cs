using System.Text.Json.Serialization;

namespace Federation.Protocol.Wire;

/// <summary>
/// What a nation accepts on <c>POST /federation/v1/jobs/batches</c>, as its <c>hello</c> advertises it:
/// a sender keeps every batch within both its own bounds and these.
/// </summary>
/// <param name="MaxMessages">Most entries in one batch.</param>
/// <param name="MaxBytes">Most bytes in one batch's body.</param>
public sealed record BatchLimits(
    [property: JsonPropertyName("maxMessages")] int MaxMessages,
    [property: JsonPropertyName("maxBytes")] long MaxBytes);
