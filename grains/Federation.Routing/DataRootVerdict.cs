namespace Federation.Routing;

/// <summary>Whether a <c>file:</c> location may be read as dataset content, the real path it names, and why.</summary>
/// <param name="Allowed">True when the real path lies inside a data root and outside every protected path.</param>
/// <param name="RealPath">The path after every symbolic link and <c>..</c> is resolved (empty when it cannot be).</param>
/// <param name="Reason">The rule, in words a person registering the dataset can act on.</param>
public sealed record DataRootVerdict(bool Allowed, string RealPath, string Reason);
