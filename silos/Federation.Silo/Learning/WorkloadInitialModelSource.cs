using System.Globalization;
using System.Text.Json;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution;
using Federation.Grains.Learning;
using Federation.Learning.Run;

namespace Federation.Silo.Learning;

/// <summary>
/// A federated run's initial model from the allow-listed training workload the spec names: its <c>init</c>
/// verb (docs/workloads.md) with <c>seed</c> and <c>hiddenUnits</c> from <see cref="FederatedSpec.Training"/>'s
/// arguments when present (the workload's defaults otherwise), in a scratch directory under the executor's
/// work root that is removed afterwards. The weights are read and checked by <see cref="LocalStepFiles.ReadWeights"/>.
/// </summary>
public sealed class WorkloadInitialModelSource(TrainingWorkload workload, ExecutorSettings settings) : IInitialModelSource
{
    /// <summary>The training arguments that shape the initial model.</summary>
    public static readonly IReadOnlyList<string> ShapeArguments = ["seed", "hiddenUnits"];

    /// <inheritdoc />
    public async Task<InitialModel> CreateAsync(JobRef job, FederatedSpec terms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var call = terms.Training;
        var arguments = new List<string> { "init", "--outputDirectory=out" };
        foreach (var name in ShapeArguments)
        {
            if (call.Arguments.TryGetValue(name, out var value))
            {
                arguments.Add($"--{name}={WholeNumber(call, name, value)}");
            }
        }

        var directory = Path.Combine(settings.WorkRoot, job.Origin.Value, job.Id, $"init-{Guid.NewGuid():N}");
        try
        {
            var run = await workload.RunAsync(call, directory, arguments, cancellationToken);
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"the training workload {call} could not make the initial model: init exited {run.ExitCode}: {run.ErrorLine}");
            }

            var output = Path.Combine(directory, "out");
            var bytes = await File.ReadAllBytesAsync(Path.Combine(output, "weights.f32"), cancellationToken);
            var header = await File.ReadAllTextAsync(Path.Combine(output, "weights.json"), cancellationToken);
            try
            {
                var weights = LocalStepFiles.ReadWeights(bytes, header, out _);
                using var document = JsonDocument.Parse(header);
                return new InitialModel(weights, Layout(document.RootElement));
            }
            catch (FormatException e)
            {
                throw new InvalidOperationException($"the training workload {call}'s init wrote weights not in the contract of docs/workloads.md: {e.Message}", e);
            }
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"the training workload {call}'s init left no readable weights in {directory}: {e.Message}", e);
        }
        finally
        {
            Remove(directory);
        }
    }

    /// <summary>The <c>layout</c> array of a weights header, as JSON.</summary>
    public static string Layout(JsonElement header) =>
        header.TryGetProperty("layout", out var layout) && layout.ValueKind == JsonValueKind.Array && layout.GetArrayLength() > 0
            ? layout.GetRawText()
            : throw new FormatException("weights.json: layout (the tensors and their shapes) is required.");

    /// <summary>A training argument that must be a whole number; throws naming it.</summary>
    public static long WholeNumber(WorkloadCall call, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(call);
        return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new InvalidOperationException($"the federated spec's training.arguments.{name} must be a whole number, not '{value}'");
    }

    /// <summary>Removes a scratch directory; a leftover is not a failure.</summary>
    public static void Remove(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the operator's clean-up of the work root; it holds no personal data.
        }
    }
}
