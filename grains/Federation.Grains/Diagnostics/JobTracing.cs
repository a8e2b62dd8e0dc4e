using System.Diagnostics;

namespace Federation.Grains.Diagnostics;

/// <summary>
/// The federation's spans (activity source <see cref="SourceName"/>) and the job attribute on the spans
/// of the path a job takes, so that a trace can be found by job id (docs/telemetry.md). Without a
/// listener (no exporter configured) nothing is created.
/// </summary>
public static class JobTracing
{
    /// <summary>The activity source's name.</summary>
    public const string SourceName = "Federation.Jobs";

    /// <summary>The attribute naming the job (<c>ORIGIN/id</c>).</summary>
    public const string JobAttribute = "federation.job";

    private static readonly ActivitySource s_source = new(SourceName, "1.0");

    /// <summary>A span of <paramref name="name"/> about <paramref name="job"/>, or null when nobody listens.</summary>
    public static Activity? Start(string name, string job, ActivityKind kind = ActivityKind.Internal)
    {
        var activity = s_source.StartActivity(name, kind);
        activity?.SetTag(JobAttribute, job);
        return activity;
    }

    /// <summary>Marks the current span (for example the request's) as being about <paramref name="job"/>.</summary>
    public static void Tag(string job) => Activity.Current?.SetTag(JobAttribute, job);

    /// <summary>The current span's W3C <c>traceparent</c>, or null when nothing is traced.</summary>
    public static string? CurrentParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>True when <paramref name="traceParent"/> is a well-formed W3C <c>traceparent</c> (what a peer may send).</summary>
    public static bool IsTraceParent(string? traceParent) =>
        traceParent is { Length: 55 } && ActivityContext.TryParse(traceParent, null, isRemote: true, out _);

    /// <summary>
    /// A span of <paramref name="name"/> about <paramref name="job"/> under <paramref name="traceParent"/>
    /// (a message's, possibly another nation's), or under the current span when that is null or malformed;
    /// null when nobody listens.
    /// </summary>
    public static Activity? StartUnder(string name, string job, string? traceParent, ActivityKind kind)
    {
        var activity = traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent)
            ? s_source.StartActivity(name, kind, parent)
            : s_source.StartActivity(name, kind);
        activity?.SetTag(JobAttribute, job);
        return activity;
    }
}
