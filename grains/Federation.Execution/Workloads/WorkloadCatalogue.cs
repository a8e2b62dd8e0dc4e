using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Federation.Contracts.Jobs;

namespace Federation.Execution.Workloads;

/// <summary>
/// This nation's workload allow-list (section <c>Federation:Workloads</c>, plus the simulated
/// workloads named under <c>Federation:Peering:Workloads</c>): finds a job's workload, checks its
/// arguments against the parameters, and verifies the file against its pinned sha256 before it runs.
/// </summary>
public sealed class WorkloadCatalogue
{
    private static readonly TimeSpan s_patternTimeout = TimeSpan.FromMilliseconds(100);
    private readonly Dictionary<string, WorkloadDefinition> _byKey;

    /// <summary>A catalogue of <paramref name="workloads"/> (later entries of a key replace earlier ones).</summary>
    public WorkloadCatalogue(IEnumerable<WorkloadDefinition> workloads)
    {
        _byKey = new Dictionary<string, WorkloadDefinition>(StringComparer.Ordinal);
        foreach (var workload in workloads)
        {
            _byKey[workload.Key] = workload;
        }
    }

    /// <summary>Every workload, by <c>name@version</c>.</summary>
    public IReadOnlyList<WorkloadDefinition> All => [.. _byKey.Values.OrderBy(w => w.Key, StringComparer.Ordinal)];

    /// <summary>The entry for <paramref name="call"/>, or null when it is not on the list.</summary>
    public WorkloadDefinition? Find(WorkloadCall call) => _byKey.GetValueOrDefault(call.ToString());

    /// <summary>
    /// What is wrong with <paramref name="arguments"/> for <paramref name="workload"/>, as (argument, reason)
    /// pairs; empty when they fit. A simulated workload takes any arguments (they steer the simulation).
    /// </summary>
    public static IReadOnlyList<(string Argument, string Reason)> CheckArguments(WorkloadDefinition workload, IReadOnlyDictionary<string, string> arguments)
    {
        var errors = new List<(string, string)>();
        if (workload.IsSimulated)
        {
            return errors;
        }

        foreach (var (name, value) in arguments)
        {
            if (!workload.Parameters.TryGetValue(name, out var parameter))
            {
                var known = workload.Parameters.Count == 0 ? "it takes none" : $"it takes {string.Join(", ", workload.Parameters.Keys)}";
                errors.Add((name, $"{workload.Key} has no parameter '{name}' ({known})"));
                continue;
            }

            if (Check(parameter, value) is { } reason)
            {
                errors.Add((name, reason));
            }
        }

        foreach (var (name, parameter) in workload.Parameters.Where(p => p.Value.Required && !arguments.ContainsKey(p.Key)))
        {
            errors.Add((name, $"{workload.Key} requires '{name}' ({TypeName(parameter.Type)})"));
        }

        return errors;
    }

    /// <summary>Null when the file of <paramref name="workload"/> has its pinned sha256; otherwise why not.</summary>
    public static async Task<string?> VerifyAsync(WorkloadDefinition workload, CancellationToken cancellationToken)
    {
        if (workload.IsSimulated)
        {
            return null;
        }

        try
        {
            await using var file = File.OpenRead(workload.Path!);
            var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
            return Mismatch(workload, actual);
        }
        catch (IOException e)
        {
            return $"the file of {workload.Key} ({workload.Path}) cannot be read: {e.Message}";
        }
        catch (UnauthorizedAccessException e)
        {
            return $"the file of {workload.Key} ({workload.Path}) cannot be read: {e.Message}";
        }
    }

    /// <summary>
    /// Copies the file of <paramref name="workload"/> to <paramref name="destination"/> (executable)
    /// and checks the sha256 of the copy, so that what runs is what was verified; null when it
    /// matches, otherwise why not (and the copy is removed).
    /// </summary>
    public static async Task<string?> CopyVerifiedAsync(WorkloadDefinition workload, string destination, CancellationToken cancellationToken)
    {
        try
        {
            File.Copy(workload.Path!, destination, overwrite: true);
            string actual;
            await using (var copy = File.OpenRead(destination))
            {
                actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(copy, cancellationToken));
            }

            if (Mismatch(workload, actual) is { } reason)
            {
                File.Delete(destination);
                return reason;
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(destination, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }

            return null;
        }
        catch (IOException e)
        {
            return $"the file of {workload.Key} ({workload.Path}) cannot be copied: {e.Message}";
        }
        catch (UnauthorizedAccessException e)
        {
            return $"the file of {workload.Key} ({workload.Path}) cannot be copied: {e.Message}";
        }
    }

    private static string? Mismatch(WorkloadDefinition workload, string actual) =>
        string.Equals(actual, workload.Sha256, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"the sha256 of {workload.Key} ({workload.Path}) is {actual}, not the {workload.Sha256} the allow-list pins: the file changed, nothing runs until an operator pins it again";

    private static string? Check(WorkloadParameter parameter, string value)
    {
        switch (parameter.Type)
        {
            case WorkloadParameterType.Boolean:
                return value is "true" or "false" ? null : $"must be true or false, not '{Shorten(value)}'";
            case WorkloadParameterType.WholeNumber:
                return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
                    ? Range(parameter, whole)
                    : $"must be a whole number, not '{Shorten(value)}'";
            case WorkloadParameterType.Number:
                return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                    ? Range(parameter, number)
                    : $"must be a number, not '{Shorten(value)}'";
            default:
                if (value.Length > parameter.MaxLength)
                {
                    return $"must be at most {parameter.MaxLength} characters, not {value.Length}";
                }

                if (value.Any(char.IsControl))
                {
                    return "must not contain control characters";
                }

                try
                {
                    return parameter.Pattern is { } pattern && !Regex.IsMatch(value, $"^(?:{pattern})$", RegexOptions.CultureInvariant, s_patternTimeout)
                        ? $"must match {pattern}, not '{Shorten(value)}'"
                        : null;
                }
                catch (RegexMatchTimeoutException)
                {
                    return $"could not be checked against {parameter.Pattern} in time";
                }
        }
    }

    private static string? Range(WorkloadParameter parameter, double value) =>
        parameter.Minimum is { } min && value < min ? string.Create(CultureInfo.InvariantCulture, $"must be at least {min}, not {value}")
        : parameter.Maximum is { } max && value > max ? string.Create(CultureInfo.InvariantCulture, $"must be at most {max}, not {value}")
        : null;

    /// <summary>The configuration's name of <paramref name="type"/>: string, integer, number or boolean.</summary>
    public static string TypeName(WorkloadParameterType type) => type switch
    {
        WorkloadParameterType.WholeNumber => "integer",
        WorkloadParameterType.Number => "number",
        WorkloadParameterType.Boolean => "boolean",
        _ => "string",
    };

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
