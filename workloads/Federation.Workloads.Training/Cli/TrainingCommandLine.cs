namespace Federation.Workloads.Training.Cli;

/// <summary>
/// The command line: <c>Federation.Workloads.Training VERB [--manifest PATH] [--field=value ...]</c>
/// (or <c>--verb=VERB</c>). Exit codes: 0 done, 2 bad input (the message names the field or file),
/// 1 an unexpected failure.
/// </summary>
public static class TrainingCommandLine
{
    /// <summary>Exit code of a successful run.</summary>
    public const int Success = 0;

    /// <summary>Exit code of an unexpected failure.</summary>
    public const int Failure = 1;

    /// <summary>Exit code of bad input.</summary>
    public const int BadInput = 2;

    /// <summary>The help text.</summary>
    public static string Usage =>
        $"""
        usage: Federation.Workloads.Training <{string.Join('|', WorkloadVerbs.Names)}> [--manifest <file.json>] [--<field>=<value> ...]

          generate     synthetic non-IID health data for a nation: <name>.csv and <name>.schema.json
          init         fresh weights for seed and hiddenUnits (no data): weights.f32/.json, sampleCount 0
          train        local epochs from initialWeights (or fresh weights for seed): weights.f32/.json, metrics.json
          aggregate    FedAvg of weights weighted by sample count: weights.f32/.json, metrics.json
          evaluate     accuracy, AUC, log loss, Brier, calibration of model on data: metrics.json
          centralized  the reference: train on pooled data for rounds × epochs: weights.f32/.json, metrics.json

        --<field>=<value> sets a manifest field (data and weights take comma-separated lists). Without
        --manifest, FEDERATION_INPUTS and FEDERATION_OUTPUTS of the executor give data, weights and
        outputDirectory. The contract: docs/workloads.md.
        """;

    /// <summary>Runs the command line, writing results and errors to the given writers.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        string? verb = null, manifest = null;
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            for (var i = 0; i < args.Count; i++)
            {
                var arg = args[i];
                if (arg is "-h" or "--help" or "help")
                {
                    output.WriteLine(Usage);
                    return Success;
                }

                if (arg == "--manifest")
                {
                    manifest = i + 1 < args.Count ? args[++i] : throw new WorkloadInputException("--manifest", "needs a file path");
                }
                else if (arg.StartsWith("--", StringComparison.Ordinal))
                {
                    var equals = arg.IndexOf('=', StringComparison.Ordinal);
                    if (equals < 3)
                    {
                        throw new WorkloadInputException(arg, "arguments are --manifest <file> or --<field>=<value>");
                    }

                    var (name, value) = (arg[2..equals], arg[(equals + 1)..]);
                    switch (name)
                    {
                        case "verb": verb = value; break;
                        case "manifest": manifest = value; break;
                        default: overrides[name] = value; break;
                    }
                }
                else if (verb is null)
                {
                    verb = arg;
                }
                else
                {
                    throw new WorkloadInputException(arg, "unexpected argument; only one verb is allowed");
                }
            }

            if (verb is null)
            {
                throw new WorkloadInputException("verb", $"missing: one of {string.Join(", ", WorkloadVerbs.Names)}");
            }

            var (parsed, baseDirectory) = ManifestReader.Read(manifest, overrides, environment);
            foreach (var file in WorkloadVerbs.Run(verb, parsed, baseDirectory))
            {
                output.WriteLine(file);
            }

            return Success;
        }
        catch (WorkloadInputException e)
        {
            error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return Failure;
        }
    }
}
