namespace Federation.Silo.Learning;

/// <summary>How one run of the training workload ended: its exit code and the last lines of its standard output and error.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Output">The last lines of standard output (bounded by <see cref="LocalStepOptions.OutputLines"/>).</param>
/// <param name="Errors">The last lines of standard error (bounded likewise).</param>
public sealed record WorkloadRun(int ExitCode, IReadOnlyList<string> Output, IReadOnlyList<string> Errors)
{
    /// <summary>The workload's own explanation: its last <c>error:</c> line (docs/workloads.md), else its last line of standard error, else none.</summary>
    public string ErrorLine =>
        Errors.LastOrDefault(l => l.StartsWith("error:", StringComparison.Ordinal))
        ?? Errors.LastOrDefault(l => l.Trim().Length > 0)
        ?? "(it wrote nothing on standard error)";
}
