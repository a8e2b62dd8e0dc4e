using System.Collections.Immutable;
using Federation.Learning.Protocol;

namespace Federation.Learning.Run;

/// <summary>What a decider did with an input: its verdict, the messages to send, and (for a contributor) a local step to run.</summary>
public sealed record RunStep(MessageVerdict Verdict, ImmutableArray<RunEnvelope> Send, LocalStepRequest? Train = null)
{
    /// <summary>A refusal that sends nothing.</summary>
    public static RunStep Refused(RefusalReason reason, string detail) => new(MessageVerdict.Refuse(reason, detail), []);
}
