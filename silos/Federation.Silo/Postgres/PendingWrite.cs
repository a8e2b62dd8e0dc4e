namespace Federation.Silo.Postgres;

/// <summary>One grain's write waiting for a group commit: the key columns of its row, the version it holds, the payload.</summary>
/// <param name="GrainIdHash">Hash of the grain key (the provider's hash picker).</param>
/// <param name="N0">First half of a GUID key, else 0.</param>
/// <param name="N1">Second half of a GUID key or the integer key, else 0.</param>
/// <param name="GrainTypeHash">Hash of the state name.</param>
/// <param name="GrainTypeString">The state name (e.g. <c>job</c>).</param>
/// <param name="Extension">The whole key of a string-keyed grain, or a key extension.</param>
/// <param name="Version">The version the grain holds (its ETag), or null when it never wrote.</param>
/// <param name="Payload">The serialized state.</param>
public sealed record PendingWrite(int GrainIdHash, long N0, long N1, int GrainTypeHash, string GrainTypeString, string? Extension, int? Version, ReadOnlyMemory<byte> Payload);
