using Microsoft.Extensions.Options;

namespace Federation.Silo.Options;

/// <summary>Checks <see cref="DataOptions"/> at start-up; each message names the key.</summary>
public sealed class DataOptionsValidator : IValidateOptions<DataOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.Roots.Count; i++)
        {
            var root = options.Roots[i];
            if (string.IsNullOrWhiteSpace(root) || !Path.IsPathFullyQualified(root))
            {
                failures.Add($"Federation:Data:Roots:{i} must be an absolute directory path, got '{root}'");
            }
            else if (Path.GetFullPath(root) == Path.GetPathRoot(root))
            {
                failures.Add($"Federation:Data:Roots:{i} is the file system's root: name the directory that holds dataset files");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
