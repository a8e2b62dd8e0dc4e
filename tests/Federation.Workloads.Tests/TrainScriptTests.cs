using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Federation.Workloads.Tests;

/// <summary>
/// workloads/train.sh, filled in as install-training.sh fills it (with <c>echo</c> standing for dotnet,
/// so no publish is needed): it runs only while every published file matches the pinned list.
/// </summary>
public sealed class TrainScriptTests
{
    private static readonly string _template = Path.Combine(RepositoryRoot(), "workloads", "train.sh");

    [Fact]
    public async Task Template_NotInstalled_Refuses()
    {
        var (exit, _, error) = await Bash(_template);
        Assert.Equal(3, exit);
        Assert.Contains("this is the template", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Installed_RunsOnlyWhilePublishedFilesMatch()
    {
        using var dir = new TempDirectory();
        var lib = Directory.CreateDirectory(dir.File("lib")).FullName;
        File.WriteAllText(Path.Combine(lib, "Federation.Workloads.Training.dll"), "program");
        File.WriteAllText(Path.Combine(lib, "libtorch.so"), "native");
        var sums = new StringBuilder();
        foreach (var name in new[] { "./Federation.Workloads.Training.dll", "./libtorch.so" })
        {
            sums.Append(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(lib, name)))) + "  " + name + "\n");
        }

        File.WriteAllText(dir.File("SHA256SUMS"), sums.ToString());
        var digest = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(dir.File("SHA256SUMS"))));
        var script = File.ReadAllText(_template).Replace("@PREFIX@", dir.Path, StringComparison.Ordinal)
            .Replace("@SUMS_SHA256@", digest, StringComparison.Ordinal).Replace("@DOTNET@", "/bin/echo", StringComparison.Ordinal);
        File.WriteAllText(dir.File("train.sh"), script);

        var ran = await Bash(dir.File("train.sh"), "--verb=train");
        Assert.True(ran.Exit == 0, ran.Error);
        Assert.Equal($"{lib}/Federation.Workloads.Training.dll --verb=train", ran.Output.Trim());

        File.WriteAllText(Path.Combine(lib, "extra.so"), "planted");
        var planted = await Bash(dir.File("train.sh"));
        Assert.Equal(3, planted.Exit);
        Assert.Contains("differs from its SHA256SUMS", planted.Error, StringComparison.Ordinal);

        File.Delete(Path.Combine(lib, "extra.so"));
        File.AppendAllText(Path.Combine(lib, "libtorch.so"), "!");
        var changed = await Bash(dir.File("train.sh"));
        Assert.Equal(3, changed.Exit);
        Assert.Contains("differs from its SHA256SUMS", changed.Error, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Federation.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"no Federation.sln above {AppContext.BaseDirectory}");
    }

    private static async Task<(int Exit, string Output, string Error)> Bash(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }
}
