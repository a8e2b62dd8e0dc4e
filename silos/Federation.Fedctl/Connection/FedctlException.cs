namespace Federation.Fedctl.Connection;

/// <summary>A failure fedctl explains to the user and ends with <see cref="ExitCode"/>.</summary>
public sealed class FedctlException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FedctlException(string message, int exitCode) : base(message) => ExitCode = exitCode;

    /// <summary>Creates the exception.</summary>
    public FedctlException() : this("fedctl failed", ExitCodes.Failure)
    {
    }

    /// <summary>Creates the exception.</summary>
    public FedctlException(string message) : this(message, ExitCodes.Failure)
    {
    }

    /// <summary>Creates the exception.</summary>
    public FedctlException(string message, Exception innerException) : base(message, innerException) => ExitCode = ExitCodes.Failure;

    /// <summary>The process exit code.</summary>
    public int ExitCode { get; }
}
