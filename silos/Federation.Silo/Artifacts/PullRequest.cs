namespace Federation.Silo.Artifacts;

/// <summary>Body of <c>POST /api/v1/models/{name}/versions/{version}:pull</c>.</summary>
public sealed class PullRequest
{
    /// <summary>The nation to pull from, such as <c>FR</c>.</summary>
    public string? From { get; set; }
}
