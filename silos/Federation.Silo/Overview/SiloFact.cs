namespace Federation.Silo.Overview;

/// <summary>One silo of this nation as Orleans' membership lists it.</summary>
/// <param name="Name">The silo's name.</param>
/// <param name="Address">Its Orleans address (endpoint and generation).</param>
/// <param name="Host">The host it runs on.</param>
/// <param name="Status">Its membership status (<c>Active</c>, <c>ShuttingDown</c>, ...).</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="IsThisSilo">True for the silo that serves the page.</param>
public sealed record SiloFact(string Name, string Address, string Host, string Status, DateTimeOffset StartedAt, bool IsThisSilo);
