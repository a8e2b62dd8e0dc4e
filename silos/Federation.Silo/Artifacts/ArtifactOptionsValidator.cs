using Microsoft.Extensions.Options;

namespace Federation.Silo.Artifacts;

/// <summary>Checks <see cref="ArtifactOptions"/> at start-up; each message names the key.</summary>
public sealed class ArtifactOptionsValidator : IValidateOptions<ArtifactOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ArtifactOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Root is { } root)
        {
            if (string.IsNullOrWhiteSpace(root) || !Path.IsPathFullyQualified(root))
            {
                failures.Add($"Federation:Artifacts:Root must be an absolute directory path, got '{root}'");
            }
            else if (Path.GetFullPath(root) == Path.GetPathRoot(root))
            {
                failures.Add("Federation:Artifacts:Root is the file system's root: name a directory of its own for model artifacts");
            }
        }

        if (options.MaxBytes < 1)
        {
            failures.Add($"Federation:Artifacts:MaxBytes must be at least 1, got {options.MaxBytes}");
        }

        if (options.SweepInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"Federation:Artifacts:SweepInterval must be at least 1 second, got {options.SweepInterval}");
        }

        if (options.SweepStaleAfter < TimeSpan.FromMinutes(1))
        {
            failures.Add($"Federation:Artifacts:SweepStaleAfter must be at least 1 minute (a live write must not be swept), got {options.SweepStaleAfter}");
        }

        if (options.PullIdleTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add($"Federation:Artifacts:PullIdleTimeout must be at least 1 second, got {options.PullIdleTimeout}");
        }

        if (!string.IsNullOrEmpty(options.EvaluationProgram)
            && (!Path.IsPathFullyQualified(options.EvaluationProgram) || options.EvaluationProgramSha256 is not { Length: 64 } pin || !pin.All(char.IsAsciiHexDigit)))
        {
            failures.Add("Federation:Artifacts:EvaluationProgram must be an absolute path, pinned by Federation:Artifacts:EvaluationProgramSha256 (64 hex characters)");
        }

        if (options.EvaluationTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add($"Federation:Artifacts:EvaluationTimeout must be at least 1 second, got {options.EvaluationTimeout}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
