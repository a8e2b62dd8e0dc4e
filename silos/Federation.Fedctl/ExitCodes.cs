namespace Federation.Fedctl;

/// <summary>fedctl's exit codes, stable for scripts.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>Unexpected failure.</summary>
    public const int Failure = 1;

    /// <summary>Bad command line or unreadable input file.</summary>
    public const int Usage = 2;

    /// <summary>The silo could not be reached.</summary>
    public const int Unreachable = 3;

    /// <summary>The token is missing, wrong, or not allowed to do this.</summary>
    public const int Unauthorized = 4;

    /// <summary>The silo refused the input (validation).</summary>
    public const int Invalid = 5;

    /// <summary>No such entry.</summary>
    public const int NotFound = 6;

    /// <summary>Conflict or stale version.</summary>
    public const int Conflict = 7;

    /// <summary>The silo is up but cannot serve (5xx).</summary>
    public const int Unavailable = 8;

    /// <summary>
    /// <c>fedctl plan --fail-if-nowhere</c>: the plan was made, and no nation can run the job. Without
    /// the flag such a plan is a result like any other (exit 0, every reason in the table).
    /// </summary>
    public const int Nowhere = 9;

    /// <summary>
    /// <c>fedctl jobs watch</c> (and <c>jobs submit --watch</c>): the job finished without success:
    /// failed (non-zero exit code), cancelled, or stopped at its walltime limit (timed out). A job
    /// that succeeded ends the watch with <see cref="Ok"/>.
    /// </summary>
    public const int JobFailed = 10;

    /// <summary>
    /// <c>fedctl jobs logs</c> and <c>jobs outputs</c>: the nation that ran the job keeps its logs and
    /// outputs (the job read data that may not reach this nation); only its operators can read them.
    /// </summary>
    public const int Withheld = 11;

    /// <summary>
    /// The URL answers, but not as a nation's user API: a nation's federation port (mutual TLS),
    /// another web server, or a service that does not speak HTTP. The message says what answered.
    /// </summary>
    public const int WrongEndpoint = 12;
}
