namespace Federation.Docs.Tests;

/// <summary>How one command of a <see cref="BashSession"/> ended.</summary>
/// <param name="ExitCode">Its exit status, or null when it did not finish in time or the shell died.</param>
/// <param name="Output">What it wrote, standard output and standard error interleaved as bash wrote them.</param>
/// <param name="TimedOut">True when it was still running at its deadline (the session is then killed).</param>
public sealed record StepResult(int? ExitCode, string Output, bool TimedOut);
