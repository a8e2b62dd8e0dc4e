using Federation.Workloads.Training.Cli;

namespace Federation.Workloads.Tests;

/// <summary>Runs verbs in-process through the same command line as the executable.</summary>
public static class Workload
{
    public static (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = TrainingCommandLine.Run(args, output, error, _ => null);
        return (exit, output.ToString(), error.ToString());
    }

    public static void Ok(params string[] args)
    {
        var (exit, _, error) = Run(args);
        Assert.True(exit == 0, $"'{string.Join(' ', args)}' exited {exit}: {error}");
    }

    public static string Generate(TempDirectory dir, string nation, int rows, long seed, string name)
    {
        Ok("generate", $"--nation={nation}", $"--rows={rows}", $"--seed={seed}", $"--name={name}", $"--outputDirectory={dir.Path}");
        return dir.File(name + ".csv");
    }
}
