using System.Security.Cryptography;
using Federation.Execution.Workloads;

namespace Federation.Workloads.Tests;

/// <summary>
/// The built workload of this test's output behind a one-line script, allow-listed as <c>train@1.0</c> with
/// the script's sha256 (as install-training.sh's <c>train.sh</c> is, without publishing 500 MB again), and
/// one nation's generated data. Shared by a test class.
/// </summary>
public sealed class AllowListedWorkload : IDisposable
{
    private readonly TempDirectory _dir = new();

    public AllowListedWorkload()
    {
        Script = _dir.File("train.sh");
        var dll = Path.Combine(AppContext.BaseDirectory, "Federation.Workloads.Training.dll");
        File.WriteAllText(Script, $"#!/bin/sh\nexec dotnet '{dll}' \"$@\"\n");
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Script)));
        Data = Workload.Generate(_dir, "FR", 300, 3, "fr-outcomes");
        WorkRoot = Directory.CreateDirectory(_dir.File("work")).FullName;
    }

    /// <summary>The script that runs the workload.</summary>
    public string Script { get; }

    /// <summary>Its sha256.</summary>
    public string Sha256 { get; }

    /// <summary>A CSV of 300 rows of FR.</summary>
    public string Data { get; }

    /// <summary>The executor's work root of the tests.</summary>
    public string WorkRoot { get; }

    /// <summary>The allow-list entry <c>train@1.0</c>, pinned by <paramref name="sha256"/> (default: the script's).</summary>
    public WorkloadDefinition Definition(string? sha256 = null) =>
        new() { Name = "train", Version = "1.0", Path = Script, Sha256 = sha256 ?? Sha256 };

    public void Dispose() => _dir.Dispose();
}
