namespace Federation.Execution.Slurm;

/// <summary>A Slurm command failed, timed out or could not be started; the message names the command and its stderr.</summary>
public sealed class SlurmException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public SlurmException()
        : this("A Slurm command failed.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public SlurmException(string message)
        : base(message)
    {
        Command = "";
        StandardError = "";
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public SlurmException(string message, Exception innerException)
        : base(message, innerException)
    {
        Command = "";
        StandardError = "";
    }

    /// <summary>Creates the exception for <paramref name="command"/> that ended with <paramref name="exitCode"/>.</summary>
    /// <param name="command">The command line, for people (arguments were passed without a shell).</param>
    /// <param name="exitCode">The command's exit code; <see langword="null"/> when it did not end on its own.</param>
    /// <param name="standardError">What the command wrote on stderr.</param>
    /// <param name="problem">What went wrong, e.g. "exited with code 1" or "timed out after 30 s".</param>
    /// <param name="innerException">The cause, if any.</param>
    public SlurmException(string command, int? exitCode, string standardError, string problem, Exception? innerException = null)
        : base(Describe(command, standardError, problem), innerException)
    {
        Command = command;
        ExitCode = exitCode;
        StandardError = standardError;
    }

    /// <summary>The command line that failed (empty when not about one command).</summary>
    public string Command { get; }

    /// <summary>The command's exit code; <see langword="null"/> when it did not end on its own or did not start.</summary>
    public int? ExitCode { get; }

    /// <summary>What the command wrote on stderr.</summary>
    public string StandardError { get; }

    private static string Describe(string command, string standardError, string problem)
    {
        var stderr = standardError.Trim();
        return stderr.Length == 0
            ? $"Slurm command '{command}' {problem} (no stderr)."
            : $"Slurm command '{command}' {problem}: {stderr}";
    }
}
