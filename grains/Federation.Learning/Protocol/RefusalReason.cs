namespace Federation.Learning.Protocol;

/// <summary>Why a round message was refused.</summary>
public enum RefusalReason
{
    /// <summary>The sender is not a participant of the round.</summary>
    NotInRound = 0,

    /// <summary>The message names another job.</summary>
    WrongJob = 1,

    /// <summary>The message names another round of the job (a replay or a stale message).</summary>
    WrongRound = 2,

    /// <summary>The round is not at the stage this message belongs to.</summary>
    WrongStage = 3,

    /// <summary>The sender already sent this message in this round.</summary>
    Duplicate = 4,

    /// <summary>The signature does not verify under the sender's federation key.</summary>
    BadSignature = 5,

    /// <summary>The message is malformed (lengths, keys, addressing).</summary>
    Malformed = 6,

    /// <summary>The message's claimed sender is not the authenticated sender.</summary>
    SenderMismatch = 7,

    /// <summary>The request would make a participant reveal what it must not.</summary>
    Unsafe = 8,
}
