namespace Federation.Learning.Protocol;

/// <summary>What the round did with a message: accepted, or refused with a reason and an explanation.</summary>
public sealed record MessageVerdict(bool Accepted, RefusalReason? Reason, string? Detail)
{
    /// <summary>The verdict for an accepted message.</summary>
    public static MessageVerdict Accept { get; } = new(true, null, null);

    /// <summary>A refusal.</summary>
    public static MessageVerdict Refuse(RefusalReason reason, string detail) => new(false, reason, detail);
}
