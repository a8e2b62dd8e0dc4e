namespace Federation.Silo.Overview;

/// <summary>A job not placed anywhere yet, and why.</summary>
/// <param name="Job">Its global id.</param>
/// <param name="State">Its state name.</param>
/// <param name="Reason">Why it waits (its state reason).</param>
/// <param name="Since">When its state last changed.</param>
public sealed record PendingRow(string Job, string State, string Reason, DateTimeOffset Since);
