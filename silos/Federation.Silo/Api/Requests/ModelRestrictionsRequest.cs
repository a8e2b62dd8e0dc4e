namespace Federation.Silo.Api.Requests;

/// <summary>Where a model's artifact may go, in a model body.</summary>
public sealed class ModelRestrictionsRequest
{
    /// <summary>Whether the artifact may leave the nation (default false).</summary>
    public bool? MayLeave { get; set; }

    /// <summary>When given, the only nations it may go to (needs <see cref="MayLeave"/> true).</summary>
    public List<string>? Nations { get; set; }
}
