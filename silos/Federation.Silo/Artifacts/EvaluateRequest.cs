namespace Federation.Silo.Artifacts;

/// <summary>Body of <c>POST /api/v1/models/{name}/versions/{version}:evaluate</c>.</summary>
public sealed class EvaluateRequest
{
    /// <summary>The id of one of this nation's datasets, such as <c>bench</c>.</summary>
    public string? Dataset { get; set; }
}
