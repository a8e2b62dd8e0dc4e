namespace Federation.Learning.Protocol;

/// <summary>A round message was refused; <see cref="Reason"/> says why and the message names the field or rule.</summary>
public sealed class RoundMessageRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RoundMessageRefusedException(RefusalReason reason, string message)
        : base(message) => Reason = reason;

    /// <summary>Creates the exception with the default reason.</summary>
    public RoundMessageRefusedException()
        : this(RefusalReason.Malformed, "The round message was refused.")
    {
    }

    /// <summary>Creates the exception with the default reason.</summary>
    public RoundMessageRefusedException(string message)
        : this(RefusalReason.Malformed, message)
    {
    }

    /// <summary>Creates the exception with the default reason.</summary>
    public RoundMessageRefusedException(string message, Exception innerException)
        : base(message, innerException) => Reason = RefusalReason.Malformed;

    /// <summary>Why the message was refused.</summary>
    public RefusalReason Reason { get; }
}
