using Microsoft.Extensions.Options;

namespace Federation.Silo.Learning;

/// <summary>Checks <see cref="LocalStepOptions"/>; each failure names its setting.</summary>
public sealed class LocalStepOptionsValidator : IValidateOptions<LocalStepOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LocalStepOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.StepTimeout < TimeSpan.FromSeconds(1) || options.StepTimeout > TimeSpan.FromDays(7))
        {
            failures.Add($"Federation:Learning:StepTimeout must be 1 second to 7 days, got {options.StepTimeout}");
        }

        if (!double.IsFinite(options.CpuWattsPerCore) || options.CpuWattsPerCore is < 0 or > 1000)
        {
            failures.Add($"Federation:Learning:CpuWattsPerCore must be 0 to 1000 W, got {options.CpuWattsPerCore}");
        }

        if (options.OutputLines is < 1 or > 100_000)
        {
            failures.Add($"Federation:Learning:OutputLines must be 1 to 100000, got {options.OutputLines}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
