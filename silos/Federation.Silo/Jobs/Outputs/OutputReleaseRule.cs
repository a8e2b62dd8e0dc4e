using Federation.Contracts.Ids;
using Federation.Silo.Jobs.Staging;

namespace Federation.Silo.Jobs.Outputs;

/// <summary>
/// The release rule of logs and outputs: what a job made of data stays where the data may be. When
/// any input of the job may not reach the job's origin nation (its residency does not allow the
/// origin: home-only data, or data listed for other nations), the job's logs and outputs stay in the
/// executing nation, and only state, exit code, metrics and energy go back. An input whose terms
/// cannot be read holds them back too, until they can (fail closed). At home (the origin runs the
/// job itself) nothing leaves, and the rule does not apply.
/// </summary>
public static class OutputReleaseRule
{
    /// <summary>Decides for <paramref name="what"/> (<c>logs</c>, <c>outputs</c>) of epoch <paramref name="epoch"/> of <paramref name="job"/>, run in <paramref name="executing"/>.</summary>
    /// <param name="job">The job; its origin is where they would go.</param>
    /// <param name="epoch">The epoch that ran.</param>
    /// <param name="executing">The nation that ran it and holds them.</param>
    /// <param name="inputs">The job's inputs with their terms.</param>
    /// <param name="what">What is asked for, for the reason: <c>logs</c> or <c>outputs</c>.</param>
    /// <param name="resource">The part of the executing nation's operator path, such as <c>outputs</c> or <c>logs/stdout</c>.</param>
    public static ReleaseDecision Decide(JobRef job, int epoch, NationCode executing, IReadOnlyList<ReleaseInput> inputs, string what, string resource)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var origin = job.Origin;
        foreach (var input in inputs)
        {
            if (input.Residency is { } residency && !residency.Allows(input.Dataset.Nation, origin))
            {
                return new ReleaseDecision(false, false, input.Dataset,
                    $"{what} of {job} stay in {executing}: it read {input.Dataset}, which {ResidencyText.Describe(residency, input.Dataset.Nation)}; "
                    + $"{executing}'s operators can read them at GET {OperatorPath(job, epoch, resource)}");
            }
        }

        foreach (var input in inputs)
        {
            if (input.Residency is null)
            {
                return new ReleaseDecision(false, true, input.Dataset,
                    $"{what} of {job} are held in {executing} for now: the terms of {input.Dataset} could not be read ({input.Unreadable ?? "unknown"}), "
                    + $"and {what} of a job are released only when every input allows it; ask again when {input.Dataset.Nation} answers");
            }
        }

        return new ReleaseDecision(true, false, null, inputs.Count == 0
            ? $"{job} read no datasets: its {what} may go to {origin}"
            : $"every input of {job} may reach {origin}: {string.Join(", ", inputs.Select(i => $"{i.Dataset} ({ResidencyText.Describe(i.Residency!, i.Dataset.Nation)})"))}");
    }

    /// <summary>Where the executing nation's operators read them: <c>/api/v1/executions/DE/job-7/1/outputs</c>.</summary>
    public static string OperatorPath(JobRef job, int epoch, string resource) => $"/api/v1/executions/{job.Origin}/{job.Id}/{epoch}/{resource}";
}
