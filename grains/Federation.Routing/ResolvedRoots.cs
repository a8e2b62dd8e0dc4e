using System.Collections.Immutable;

namespace Federation.Routing;

/// <summary>
/// Data roots and protected paths with their symbolic links resolved, made only by <see cref="DataRootRule.ResolveRoots"/>.
/// </summary>
public sealed class ResolvedRoots
{
    internal ResolvedRoots(ImmutableArray<string> roots, ImmutableArray<(string Real, string Normal)> guarded, ImmutableArray<(string Link, string Target)> followed)
    {
        Roots = roots;
        Guarded = guarded;
        Followed = followed;
    }

    /// <summary>The data roots' real paths.</summary>
    public ImmutableArray<string> Roots { get; }

    /// <summary>Each protected path's real path and its path as written, normalized.</summary>
    public ImmutableArray<(string Real, string Normal)> Guarded { get; }

    /// <summary>
    /// The symbolic links followed to resolve the protected paths, with the target each had: when one of them
    /// points elsewhere now (a key or roster swapped in by re-pointing a link), the resolution is out of date.
    /// </summary>
    public ImmutableArray<(string Link, string Target)> Followed { get; }

    /// <summary>True when every link followed to resolve the protected paths still has the target it had.</summary>
    public bool StillCurrent(Func<string, string?> readLink)
    {
        ArgumentNullException.ThrowIfNull(readLink);
        foreach (var (link, target) in Followed)
        {
            if (!string.Equals(readLink(link), target, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
