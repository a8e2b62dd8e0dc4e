using Federation.Contracts.Ids;

namespace Federation.Execution;

/// <summary>
/// The directory of one epoch of a job on the executing nation's machines:
/// <c>&lt;root&gt;/&lt;origin&gt;/&lt;id&gt;/e&lt;epoch&gt;</c>, with the staged inputs, the outputs the workload
/// writes, its logs, the copy of the workload that runs, and the runner's pid and exit-code files.
/// The layout is deterministic, so a restarted silo finds a run it started before.
/// </summary>
/// <param name="Path">The directory itself.</param>
public sealed record JobDirectory(string Path)
{
    /// <summary>The directory of <paramref name="job"/> at <paramref name="epoch"/> under <paramref name="root"/>.</summary>
    public static JobDirectory For(string root, JobRef job, int epoch) =>
        new(System.IO.Path.Combine(root, job.Origin.Value, job.Id, $"e{epoch}"));

    /// <summary>Inputs, one entry per dataset (<c>inputs/&lt;home&gt;-&lt;dataset&gt;</c>).</summary>
    public string Inputs => System.IO.Path.Combine(Path, "inputs");

    /// <summary>Where the workload writes its outputs.</summary>
    public string Outputs => System.IO.Path.Combine(Path, "outputs");

    /// <summary>The workload's standard output.</summary>
    public string Stdout => System.IO.Path.Combine(Path, "stdout.log");

    /// <summary>The workload's standard error.</summary>
    public string Stderr => System.IO.Path.Combine(Path, "stderr.log");

    /// <summary>The runner's process id, written by the runner when it starts.</summary>
    public string PidFile => System.IO.Path.Combine(Path, "pid");

    /// <summary>The workload's exit code, written by the runner when the workload ends.</summary>
    public string ExitFile => System.IO.Path.Combine(Path, "exit");

    /// <summary>The runner script (process executor) or batch script (Slurm executor).</summary>
    public string Script => System.IO.Path.Combine(Path, "run.sh");

    /// <summary>The copy of the allow-listed workload that runs, verified against its sha256.</summary>
    public string Workload => System.IO.Path.Combine(Path, "workload");

    /// <summary>The job's arguments as JSON, for the workload.</summary>
    public string Parameters => System.IO.Path.Combine(Path, "params.json");

    /// <summary>The local path of an input dataset.</summary>
    public string InputPath(DatasetRef dataset) => System.IO.Path.Combine(Inputs, $"{dataset.Nation.Value}-{dataset.Dataset.Value}");
}
