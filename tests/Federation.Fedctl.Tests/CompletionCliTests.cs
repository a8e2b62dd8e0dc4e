using System.Diagnostics;

namespace Federation.Fedctl.Tests;

/// <summary>
/// <c>fedctl completion bash</c> sourced in a real bash: the completion function, driven as bash
/// drives it on TAB (COMP_WORDS, COMP_CWORD), asks the real fedctl and fills COMPREPLY.
/// </summary>
public sealed class CompletionCliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fedctl-completion-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("fedctl jo", "jobs")]
    [InlineData("fedctl jobs li", "list")]
    [InlineData("fedctl peers sh", "show")]
    [InlineData("fedctl jobs list --own", "--owner")]
    [InlineData("fedctl nodes list -o w", "wide")]
    [InlineData("fedctl completion z", "zsh")]
    public async Task BashCompletion_Tab_CompletesTheWord(string typed, string expected)
    {
        var replies = await CompleteAsync(typed);
        Assert.True(replies.SequenceEqual([expected]), $"'{typed}<TAB>' gave [{string.Join(", ", replies)}], expected [{expected}]");
    }

    [Fact]
    public async Task BashCompletion_TabAfterACommand_OffersItsSubcommands()
    {
        var replies = await CompleteAsync("fedctl jobs ");
        foreach (var subcommand in new[] { "submit", "list", "show", "explain", "watch", "cancel", "logs", "outputs" })
        {
            Assert.Contains(subcommand, replies);
        }
    }

    [Theory]
    [InlineData("bash", "complete -o default -F _fedctl_complete fedctl")]
    [InlineData("zsh", "compdef _fedctl fedctl")]
    [InlineData("pwsh", "Register-ArgumentCompleter -Native -CommandName fedctl")]
    public async Task Completion_EachShell_PrintsItsScriptCallingTheSuggestDirective(string shell, string registration)
    {
        var (exit, output, error) = await FedctlRun.RunAsync(FedctlRun.CleanEnvironment(), "completion", shell);
        Assert.True(exit == 0, $"exit {exit}: {error}");
        Assert.Contains(registration, output, StringComparison.Ordinal);
        Assert.Contains("[suggest:", output, StringComparison.Ordinal);
    }

    /// <summary>Sources the bash script, sets COMP_WORDS and COMP_CWORD for <paramref name="typed"/> (cursor at its end), calls the function, returns COMPREPLY.</summary>
    private async Task<List<string>> CompleteAsync(string typed)
    {
        var (exit, script, error) = await FedctlRun.RunAsync(FedctlRun.CleanEnvironment(), "completion", "bash");
        Assert.True(exit == 0, $"completion bash: exit {exit}: {error}");
        var scriptPath = Path.Combine(_directory, "fedctl.bash");
        await File.WriteAllTextAsync(scriptPath, script, TestContext.Current.CancellationToken);
        var bin = FedctlOnPath();

        var words = typed.Split(' ');
        var driver = $$"""
            set -u
            source '{{scriptPath}}'
            COMP_WORDS=({{string.Join(' ', words.Select(w => $"'{w}'"))}})
            COMP_CWORD={{words.Length - 1}}
            _fedctl_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add("--norc");
        start.ArgumentList.Add("-s");
        start.Environment["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";
        using var bash = Process.Start(start)!;
        await bash.StandardInput.WriteAsync(driver);
        bash.StandardInput.Close();
        var output = bash.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = bash.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await bash.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.True(bash.ExitCode == 0, $"bash exited {bash.ExitCode}: {await errors}");
        return [.. (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>A directory holding a <c>fedctl</c> command that runs the fedctl built with these tests.</summary>
    private string FedctlOnPath()
    {
        var dll = typeof(FedctlApp).Assembly.Location;
        Assert.True(File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")), $"{dll} has no runtimeconfig beside it: it cannot run as a program");
        var bin = Path.Combine(_directory, "bin");
        Directory.CreateDirectory(bin);
        var command = Path.Combine(bin, "fedctl");
        File.WriteAllText(command, $"#!/bin/sh\nexec dotnet '{dll}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(command, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return bin;
    }
}
