using System.CommandLine;

namespace Federation.Fedctl;

/// <summary>
/// <c>fedctl completion bash|zsh|pwsh</c>: a shell script that completes fedctl's commands, options
/// and their values by asking fedctl itself through System.CommandLine's <c>[suggest:POSITION]</c>
/// directive (<c>fedctl "[suggest:9]" "fedctl jo"</c> prints <c>jobs</c>), so the completions are
/// always those of the fedctl that runs, with no list to keep up to date.
/// </summary>
public static class CompletionCommands
{
    /// <summary>The shells a script is printed for.</summary>
    public static IReadOnlyList<string> Shells { get; } = ["bash", "zsh", "pwsh"];

    /// <summary>The bash script (<c>source &lt;(fedctl completion bash)</c>).</summary>
    public const string Bash = """
        # fedctl completion for bash. Load it with:  source <(fedctl completion bash)
        # or keep it:  fedctl completion bash > ~/.local/share/bash-completion/completions/fedctl
        _fedctl_complete()
        {
            local command="${COMP_WORDS[0]}" line point rest
            if [ -n "${COMP_LINE:-}" ]; then
                line="${COMP_LINE:0:${COMP_POINT:-${#COMP_LINE}}}"
            else
                local IFS=' '
                line="${COMP_WORDS[*]:0:COMP_CWORD+1}"
            fi
            # fedctl completes a line that starts with its own name, wherever it was run from.
            rest="${line#"$command"}"
            line="fedctl$rest"
            point=${#line}
            local IFS=$'\n'
            COMPREPLY=($("$command" "[suggest:$point]" "$line" 2>/dev/null))
        }
        complete -o default -F _fedctl_complete fedctl
        """;

    /// <summary>The zsh script (<c>source &lt;(fedctl completion zsh)</c>, after <c>compinit</c>).</summary>
    public const string Zsh = """
        #compdef fedctl
        # fedctl completion for zsh. Load it (after compinit) with:  source <(fedctl completion zsh)
        _fedctl() {
          local line="fedctl ${(j: :)${(@)words[2,CURRENT]}}"
          local -a suggestions
          suggestions=(${(f)"$(${words[1]} "[suggest:${#line}]" "$line" 2>/dev/null)"})
          compadd -a suggestions
        }
        compdef _fedctl fedctl
        """;

    /// <summary>The PowerShell script (<c>fedctl completion pwsh | Out-String | Invoke-Expression</c>).</summary>
    public const string Pwsh = """
        # fedctl completion for PowerShell. Load it with:  fedctl completion pwsh | Out-String | Invoke-Expression
        Register-ArgumentCompleter -Native -CommandName fedctl -ScriptBlock {
            param($wordToComplete, $commandAst, $cursorPosition)
            $command = $commandAst.CommandElements[0].Extent.Text
            $line = $commandAst.ToString()
            $position = $cursorPosition - $commandAst.Extent.StartOffset
            if ($position -gt $line.Length) { $line = $line + (' ' * ($position - $line.Length)) }
            $line = 'fedctl' + $line.Substring($command.Length, $position - $command.Length)
            & $command "[suggest:$($line.Length)]" $line 2>$null | ForEach-Object {
                [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
            }
        }
        """;

    /// <summary>The <c>completion</c> command.</summary>
    public static Command Build(FedctlContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var shell = new Argument<string>("shell") { Description = "bash, zsh or pwsh" };
        shell.AcceptOnlyFromAmong([.. Shells]);
        var command = new Command(
            "completion",
            "Print a script that completes fedctl's commands and options in your shell: 'source <(fedctl completion bash)' (or zsh; pwsh: 'fedctl completion pwsh | Out-String | Invoke-Expression').")
        {
            shell,
        };
        command.SetAction(parse =>
        {
            context.Output.WriteLine(parse.GetValue(shell) switch
            {
                "bash" => Bash,
                "zsh" => Zsh,
                _ => Pwsh,
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
