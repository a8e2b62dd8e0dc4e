using System.Collections.Immutable;

namespace Federation.Routing;

/// <summary>
/// Data roots and protected paths with their symbolic links resolved (<see cref="DataRootRule.ResolveRoots"/>).
/// </summary>
/// <param name="Roots">The data roots' real paths.</param>
/// <param name="Guarded">Each protected path's real path and its path as written, normalized.</param>
public sealed record ResolvedRoots(ImmutableArray<string> Roots, ImmutableArray<(string Real, string Normal)> Guarded);
