using Microsoft.Extensions.Options;

namespace Federation.Silo.Telemetry;

/// <summary>Checks <see cref="TelemetryOptions"/> at start-up; each message names the key and what is allowed.</summary>
public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.OtlpEndpoint is { } otlp && (!otlp.IsAbsoluteUri || otlp.Scheme is not ("http" or "https")))
        {
            failures.Add($"{TelemetryOptions.Section}:OtlpEndpoint must be an absolute http or https URL, got '{otlp}'");
        }

        if (options.SpanFile is { Length: > 0 } file)
        {
            if (!Path.IsPathFullyQualified(file))
            {
                failures.Add($"{TelemetryOptions.Section}:SpanFile must be an absolute path, got '{file}'");
            }
            else if (Path.GetDirectoryName(file) is not { } directory || !Directory.Exists(directory))
            {
                failures.Add($"{TelemetryOptions.Section}:SpanFile's directory must exist: '{Path.GetDirectoryName(file)}'");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
