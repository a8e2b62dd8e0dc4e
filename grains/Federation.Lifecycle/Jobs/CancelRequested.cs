namespace Federation.Lifecycle.Jobs;

/// <summary>A user cancels the job.</summary>
/// <param name="Reason">Why, as the user gave it.</param>
public sealed record CancelRequested(string Reason) : JobInput;
