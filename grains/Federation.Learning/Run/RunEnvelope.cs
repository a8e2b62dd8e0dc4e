using Federation.Contracts.Ids;

namespace Federation.Learning.Run;

/// <summary>A round message a decider wants sent: from, to, and the message (one of the round message records).</summary>
public sealed record RunEnvelope(NationCode From, NationCode To, object Body);
