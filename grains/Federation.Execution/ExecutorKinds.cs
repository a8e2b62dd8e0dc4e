using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Federation.Contracts.Jobs;

namespace Federation.Execution;

/// <summary>
/// The one mapping between <see cref="ExecutorKind"/> and its lower-case word, as
/// <see cref="ExecutionRun.Executor"/> and <see cref="JobResult.Executor"/> carry it.
/// </summary>
public static class ExecutorKinds
{
    /// <summary>Every kind, in declaration order.</summary>
    public static ImmutableArray<ExecutorKind> All { get; } = [ExecutorKind.Simulated, ExecutorKind.Process, ExecutorKind.Slurm, ExecutorKind.Federated];

    /// <summary>The allowed words, for error messages: <c>simulated, process, slurm or federated</c>.</summary>
    public static string Allowed { get; } = "simulated, process, slurm or federated";

    /// <summary>The word of <paramref name="kind"/>.</summary>
    public static string ToText(this ExecutorKind kind) => kind switch
    {
        ExecutorKind.Simulated => "simulated",
        ExecutorKind.Process => "process",
        ExecutorKind.Slurm => "slurm",
        ExecutorKind.Federated => "federated",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"executor kind must be {Allowed}"),
    };

    /// <summary>Reads a word (exactly as written by <see cref="ToText"/>); false for anything else.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ExecutorKind kind)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(text, candidate.ToText(), StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>Reads <paramref name="text"/> found at <paramref name="field"/>, or throws a <see cref="FormatException"/> naming the field and the allowed words.</summary>
    public static ExecutorKind Parse(string? text, string field) =>
        TryParse(text, out var kind) ? kind : throw new FormatException($"{field} must be {Allowed}, got '{text}'");

    /// <summary>The kind of <paramref name="run"/>; a record with no run yet counts as simulated (nothing outside the grain).</summary>
    public static ExecutorKind KindOf(ExecutionRun? run) =>
        run is null ? ExecutorKind.Simulated : Parse(run.Executor, "ExecutionRun.Executor");
}
