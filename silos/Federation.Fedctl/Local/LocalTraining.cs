using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Federation.Fedctl.Connection;

namespace Federation.Fedctl.Local;

/// <summary>
/// The reference training workload in a local federation (<c>local up --training &lt;prefix&gt;</c>): the
/// installed <c>&lt;prefix&gt;/train.sh</c> (workloads/install-training.sh) allow-listed as <c>train@1.0</c>,
/// pinned by its sha256, and each nation's <c>patient-outcomes</c> rows made by its <c>generate</c> verb
/// (the nation's own, non-IID profile) into <c>&lt;data root&gt;/training/patient-outcomes.csv</c>, which the
/// demo catalogue registers in place of its synthetic file.
/// </summary>
public static class LocalTraining
{
    /// <summary>The allow-list name and version of the workload.</summary>
    public const string Workload = "train@1.0";

    /// <summary>The folder of the data root the rows go to (the demo catalogue looks there).</summary>
    public const string Folder = "training";

    /// <summary>The seed of the generated rows (the tests and the tour use the same).</summary>
    public const long Seed = 7;

    private static readonly TimeSpan s_generateTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The installed script under <paramref name="prefix"/>; a usage error naming the install command when it is missing.</summary>
    public static string Script(string prefix)
    {
        var script = Path.Combine(Path.GetFullPath(prefix), "train.sh");
        return File.Exists(script)
            ? script
            : throw new FedctlException($"--training: {script} does not exist; install the workload with 'workloads/install-training.sh {prefix}'", ExitCodes.Usage);
    }

    /// <summary>
    /// The silo arguments that allow-list <paramref name="script"/> as <see cref="Workload"/> (entry 0 of
    /// <c>Federation:Workloads</c>) with the parameters a federated spec's training arguments and a plain job use,
    /// and as the nation's evaluation program (<c>Federation:Artifacts:EvaluationProgram</c>, same pin), so that a
    /// nation can evaluate a model it pulled on its own <c>patient-outcomes</c>.
    /// </summary>
    public static IReadOnlyList<string> AllowList(string script)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(script)));
        return
        [
            "--Federation:Workloads:0:Name=train",
            "--Federation:Workloads:0:Version=1.0",
            $"--Federation:Workloads:0:Path={script}",
            $"--Federation:Workloads:0:Sha256={sha256}",
            "--Federation:Workloads:0:Parameters:verb:Type=string",
            "--Federation:Workloads:0:Parameters:verb:Pattern=generate|init|train|aggregate|evaluate|centralized",
            .. Whole("seed", 0, int.MaxValue),
            .. Whole("hiddenUnits", 1, 4096),
            .. Whole("epochs", 1, 1000),
            .. Whole("batchSize", 1, 100_000),
            "--Federation:Workloads:0:Parameters:learningRate:Type=number",
            "--Federation:Workloads:0:Parameters:learningRate:Minimum=0.000001",
            "--Federation:Workloads:0:Parameters:learningRate:Maximum=10",
            $"--Federation:Artifacts:EvaluationProgram={script}",
            $"--Federation:Artifacts:EvaluationProgramSha256={sha256}",
        ];
    }

    private static string[] Whole(string name, long minimum, long maximum) =>
    [
        $"--Federation:Workloads:0:Parameters:{name}:Type=integer",
        string.Create(CultureInfo.InvariantCulture, $"--Federation:Workloads:0:Parameters:{name}:Minimum={minimum}"),
        string.Create(CultureInfo.InvariantCulture, $"--Federation:Workloads:0:Parameters:{name}:Maximum={maximum}"),
    ];

    /// <summary>Writes <paramref name="rows"/> rows of <paramref name="nation"/> into <c>&lt;dataRoot&gt;/training</c> with the workload's <c>generate</c> verb.</summary>
    public static async Task GenerateAsync(string script, string nation, int rows, string dataRoot, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(script) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "generate", $"--nation={nation}", string.Create(CultureInfo.InvariantCulture, $"--rows={rows}"), string.Create(CultureInfo.InvariantCulture, $"--seed={Seed}"),
            "--name=patient-outcomes", $"--outputDirectory={Path.Combine(dataRoot, Folder)}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new FedctlException($"--training: {script} did not start", ExitCodes.Failure);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(s_generateTimeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new FedctlException($"--training: generating {nation}'s rows took longer than {s_generateTimeout.TotalMinutes} minutes", ExitCodes.Failure);
        }

        await output;
        var text = await errors;
        if (process.ExitCode != 0)
        {
            var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "(nothing on standard error)";
            throw new FedctlException($"--training: '{script} generate' for {nation} exited {process.ExitCode}: {line}", ExitCodes.Failure);
        }
    }
}
