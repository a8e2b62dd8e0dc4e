using System.Globalization;

namespace Federation.Execution;

/// <summary>Files of a job directory that both executors read or prepare.</summary>
public static class ExecutorFiles
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The exit code the run wrote, or null while there is none.</summary>
    public static async Task<int?> ReadExitCodeAsync(JobDirectory directory, CancellationToken cancellationToken)
    {
        if (!File.Exists(directory.ExitFile))
        {
            return null;
        }

        var text = (await File.ReadAllTextAsync(directory.ExitFile, cancellationToken)).Trim();
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code) ? code : null;
    }

    /// <summary>Creates the job directory with its inputs and outputs directories.</summary>
    public static void Create(JobDirectory directory)
    {
        Directory.CreateDirectory(directory.Path);
        Directory.CreateDirectory(directory.Inputs);
        Directory.CreateDirectory(directory.Outputs);
    }

    /// <summary>Gives the outputs directory to <paramref name="account"/>, so that the workload may write only there.</summary>
    public static async Task GiveOutputsAsync(JobDirectory directory, UnixAccount account, CancellationToken cancellationToken) =>
        await ChownAsync(directory.Outputs, account, cancellationToken);

    /// <summary>Gives the whole job directory to <paramref name="account"/> (a Slurm batch script runs as it and writes its logs there).</summary>
    public static async Task GiveDirectoryAsync(JobDirectory directory, UnixAccount account, CancellationToken cancellationToken) =>
        await ChownAsync(directory.Path, account, cancellationToken);

    private static async Task ChownAsync(string path, UnixAccount account, CancellationToken cancellationToken)
    {
        var (code, _, error) = await ExternalCommand.RunAsync("chown", ["-R", $"{account.Uid}:{account.Gid}", path], s_commandTimeout, cancellationToken);
        if (code != 0)
        {
            throw new IOException($"chown of {path} to {account.Name} failed: {error.Trim()}");
        }
    }
}
