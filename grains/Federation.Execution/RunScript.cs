using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Federation.Execution;

/// <summary>
/// The scripts the executors write into a job directory. The workload runs with a clean
/// environment (nothing of the silo's, such as connection strings, leaks into it), its arguments
/// as <c>--name=value</c> (checked against the allow-list's parameters), and its inputs, outputs and
/// parameters as <c>FEDERATION_*</c> variables. Every value is single-quoted for the shell.
/// </summary>
public static class RunScript
{
    /// <summary><paramref name="value"/> quoted for a POSIX shell.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Writes <c>params.json</c>: the arguments and the inputs' local paths.</summary>
    public static async Task WriteParametersAsync(RunRequest request, CancellationToken cancellationToken)
    {
        var document = new Dictionary<string, object>
        {
            ["job"] = request.Job.ToString(),
            ["epoch"] = request.Epoch,
            ["workload"] = request.Workload.Key,
            ["arguments"] = request.Spec.Workload.Arguments,
            ["inputs"] = request.Inputs.ToDictionary(i => i.Dataset.ToString(), i => i.LocalPath),
            ["outputs"] = request.Directory.Outputs,
        };
        await File.WriteAllTextAsync(request.Directory.Parameters, JsonSerializer.Serialize(document), cancellationToken);
    }

    /// <summary>The command that runs the workload (from the job directory), with its clean environment.</summary>
    public static string Command(RunRequest request)
    {
        var directory = request.Directory;
        var command = new StringBuilder("env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8");
        void Set(string name, string value) => command.Append(' ').Append(name).Append('=').Append(Quote(value));
        Set("HOME", directory.Outputs);
        Set("FEDERATION_JOB", request.Job.ToString());
        Set("FEDERATION_EPOCH", request.Epoch.ToString(CultureInfo.InvariantCulture));
        Set("FEDERATION_INPUTS", directory.Inputs);
        Set("FEDERATION_OUTPUTS", directory.Outputs);
        Set("FEDERATION_PARAMS", directory.Parameters);
        Set("FEDERATION_ACCELERATORS", $"{request.Spec.Accelerators.Count} x {request.Accelerator}");
        command.Append(' ').Append(Quote(directory.Workload));
        foreach (var (name, value) in request.Spec.Workload.Arguments)
        {
            command.Append(' ').Append(Quote($"--{name}={value}"));
        }

        return command.ToString();
    }

    /// <summary>
    /// The process executor's runner: records its pid, runs the workload under <c>timeout</c> for the
    /// walltime (as <paramref name="account"/> when given), captures stdout and stderr, and writes
    /// the exit code last (through a rename, so that a reader never sees half a number).
    /// </summary>
    public static string ProcessRunner(RunRequest request, UnixAccount? account)
    {
        var directory = request.Directory;
        var switchUser = account is null ? "" : $"setpriv --reuid={account.Uid} --regid={account.Gid} --clear-groups -- ";
        return $"""
            #!/bin/sh
            # Runner of {request.Job} epoch {request.Epoch} ({request.Workload.Key}), written by the federation's process executor.
            exec </dev/null >/dev/null 2>&1
            cd {Quote(directory.Path)} || exit 97
            echo $$ > pid.tmp && mv pid.tmp pid
            timeout --kill-after=10 {request.WalltimeSeconds} {switchUser}{Command(request)} >{Quote(directory.Stdout)} 2>{Quote(directory.Stderr)}
            code=$?
            echo $code > exit.tmp && mv exit.tmp exit

            """;
    }

    /// <summary>
    /// The Slurm executor's batch script: runs the workload, captures its logs, writes the exit code. It
    /// traps SIGUSR1 (the checkpoint signal, sent to the script and the workload alike) with a no-op, so
    /// that the shell lives on to write the exit code; the workload gets the signal's default action back.
    /// </summary>
    public static string SlurmBatch(RunRequest request)
    {
        var directory = request.Directory;
        return $"""
            #!/bin/sh
            # Batch script of {request.Job} epoch {request.Epoch} ({request.Workload.Key}), written by the federation's Slurm executor.
            cd {Quote(directory.Path)} || exit 97
            trap : USR1
            {Command(request)} </dev/null >{Quote(directory.Stdout)} 2>{Quote(directory.Stderr)}
            code=$?
            echo $code > exit.tmp && mv exit.tmp exit
            exit $code

            """;
    }
}
