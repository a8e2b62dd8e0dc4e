using Federation.Contracts.Ids;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Jobs;

/// <summary>Checks <see cref="AdmissionOptions"/> at start-up: every refused origin is a nation code.</summary>
public sealed class AdmissionOptionsValidator : IValidateOptions<AdmissionOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AdmissionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.RefuseFrom.Count; i++)
        {
            if (!NationCode.TryParse(options.RefuseFrom[i], out _, out var error))
            {
                failures.Add($"{AdmissionOptions.Section}:RefuseFrom:{i}: {error}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
