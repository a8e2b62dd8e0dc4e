namespace Federation.Workloads.Training;

/// <summary>
/// Bad input to a workload verb: a manifest field, argument or file that breaks the contract of
/// docs/workloads.md. The message names the field or file; the command line exits with code 2.
/// </summary>
public sealed class WorkloadInputException : Exception
{
    /// <summary>Creates the error for <paramref name="field"/> (a manifest field, argument or file).</summary>
    public WorkloadInputException(string field, string message)
        : base($"{field}: {message}")
    {
        Field = field;
    }

    /// <summary>The manifest field, argument or file that is wrong.</summary>
    public string Field { get; }
}
