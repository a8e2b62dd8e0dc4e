using Federation.Contracts.Jobs;

namespace Federation.Grains.Jobs;

/// <summary>Where job events flow inside a nation, and how states are written for people.</summary>
public static class JobEvents
{
    /// <summary>The stream namespace; the stream key is the job's global id.</summary>
    public const string Namespace = "job-events";

    /// <summary>The state as JSON and tables write it, e.g. <c>timedOut</c>.</summary>
    public static string Name(JobState state)
    {
        var text = state.ToString();
        return char.ToLowerInvariant(text[0]) + text[1..];
    }
}
