using System.Collections.Immutable;

namespace Federation.Routing;

/// <summary>
/// Where a dataset's <c>file:</c> location may point: after resolving every symbolic link and
/// <c>..</c>, inside one of the configured data roots, and never at or inside a protected path (the
/// silo's configuration, its key and roster files, its job work directories). A location is an
/// attacker-chosen path; this rule is what keeps the content endpoint and the stager from reading
/// the nation's private key.
/// </summary>
/// <remarks>
/// Pure: the file system is seen only through <c>readLink</c>, which returns the target of a
/// symbolic link at an absolute path (as stored in the link, relative or absolute) or null when the
/// path is not a link. Paths are POSIX paths; containment compares whole components, so
/// <c>/data-evil</c> is not inside <c>/data</c>.
/// </remarks>
public static class DataRootRule
{
    /// <summary>Most symbolic links followed while resolving one path (Linux's limit).</summary>
    public const int MaxLinks = 40;

    /// <summary>Longest path looked up while resolving one path (Linux's <c>PATH_MAX</c>, less its terminating zero).</summary>
    public const int MaxPath = 4095;

    /// <summary>Checks <paramref name="path"/> against <paramref name="roots"/> and <paramref name="protectedPaths"/>.</summary>
    /// <param name="path">The location's local path, absolute.</param>
    /// <param name="roots">The configured data roots (absolute; resolved here like the path).</param>
    /// <param name="protectedPaths">Files and directories that are never data, even inside a root.</param>
    /// <param name="readLink">The link target of a path, or null when it is not a symbolic link.</param>
    public static DataRootVerdict Check(string path, IReadOnlyList<string> roots, IReadOnlyList<string> protectedPaths, Func<string, string?> readLink)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(protectedPaths);
        ArgumentNullException.ThrowIfNull(readLink);
        return Absolute(path) is { } refused ? refused : Check(path, ResolveRoots(roots, protectedPaths, readLink), readLink);
    }

    /// <summary>
    /// Checks <paramref name="path"/> against roots and protected paths resolved before
    /// (<see cref="ResolveRoots"/>): the same verdict as the other overload when no link among them changed since.
    /// </summary>
    /// <param name="path">The location's local path, absolute.</param>
    /// <param name="resolved">The data roots and protected paths with their symbolic links resolved.</param>
    /// <param name="readLink">The link target of a path, or null when it is not a symbolic link.</param>
    public static DataRootVerdict Check(string path, ResolvedRoots resolved, Func<string, string?> readLink)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentNullException.ThrowIfNull(readLink);
        if (Absolute(path) is { } refused)
        {
            return refused;
        }

        var real = Resolve(path, readLink);
        if (real is null)
        {
            return new DataRootVerdict(false, "", $"'{path}' cannot be resolved: more than {MaxLinks} symbolic links, or longer than {MaxPath} characters once they are followed");
        }

        if (resolved.Roots.IsEmpty)
        {
            return new DataRootVerdict(false, real, "no data root is configured (Federation:Data:Roots), so no file: location can be served or staged");
        }

        foreach (var (realGuarded, normalGuarded) in resolved.Guarded)
        {
            if (IsInside(real, realGuarded) || IsInside(real, normalGuarded))
            {
                return new DataRootVerdict(false, real, $"'{path}' resolves to {real}, inside {realGuarded}, which holds the silo's own configuration, keys or job files and is never data");
            }
        }

        foreach (var root in resolved.Roots)
        {
            if (IsInside(real, root))
            {
                return new DataRootVerdict(true, real, $"'{path}' resolves to {real}, inside the data root {root}");
            }
        }

        return new DataRootVerdict(false, real, $"'{path}' resolves to {real}, outside every data root ({string.Join(", ", resolved.Roots)}); a file: location must be inside Federation:Data:Roots");
    }

    /// <summary>
    /// <paramref name="roots"/> and <paramref name="protectedPaths"/> with their symbolic links resolved, for
    /// <see cref="Check(string, ResolvedRoots, Func{string, string?})"/>; relative entries and roots behind too many links are left out.
    /// </summary>
    public static ResolvedRoots ResolveRoots(IReadOnlyList<string> roots, IReadOnlyList<string> protectedPaths, Func<string, string?> readLink)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(protectedPaths);
        ArgumentNullException.ThrowIfNull(readLink);
        var realRoots = roots.Where(r => r.Length > 0 && r[0] == '/').Select(r => Resolve(r, readLink)).OfType<string>().ToImmutableArray();
        var followed = new List<(string Link, string Target)>();
        var guarded = protectedPaths.Where(p => p.Length > 0 && p[0] == '/')
            .Select(p => (Resolve(p, readLink, followed) ?? Normalize(p), Normalize(p)))
            .ToImmutableArray();
        return new ResolvedRoots(realRoots, guarded, [.. followed.Distinct()]);
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> or below it, component by component (both normalized).</summary>
    public static bool IsInside(string path, string directory)
    {
        if (directory == "/")
        {
            return true;
        }

        return path == directory || (path.StartsWith(directory, StringComparison.Ordinal) && path.Length > directory.Length && path[directory.Length] == '/');
    }

    /// <summary>
    /// The real path behind <paramref name="path"/>: each component looked up in turn, a symbolic
    /// link replaced by its target (relative targets against the link's directory), <c>.</c> and
    /// <c>..</c> applied to the resolved prefix as the kernel does. Null after too many links, or once
    /// a path looked up is longer than <see cref="MaxPath"/> (the kernel refuses such a path too).
    /// </summary>
    public static string? Resolve(string path, Func<string, string?> readLink) => Resolve(path, readLink, followed: null);

    private static string? Resolve(string path, Func<string, string?> readLink, List<(string Link, string Target)>? followed)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(readLink);
        var pending = new Stack<string>(Split(path).Reverse());

        // The resolved prefix, and where each of its components starts, so that '..' and an absolute target cut it back.
        var prefix = new System.Text.StringBuilder();
        var starts = new Stack<int>();
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (starts.Count > 0)
                {
                    prefix.Length = starts.Pop();
                }

                continue;
            }

            var start = prefix.Length;
            prefix.Append('/').Append(part);
            if (prefix.Length > MaxPath)
            {
                return null;
            }

            var candidate = prefix.ToString();
            if (readLink(candidate) is { Length: > 0 } target)
            {
                if (++links > MaxLinks)
                {
                    return null;
                }

                followed?.Add((candidate, target));
                prefix.Length = start;
                if (target[0] == '/')
                {
                    prefix.Clear();
                    starts.Clear();
                }

                foreach (var next in Split(target).Reverse())
                {
                    pending.Push(next);
                }

                continue;
            }

            starts.Push(start);
        }

        return prefix.Length > 0 ? prefix.ToString() : "/";
    }

    private static DataRootVerdict? Absolute(string path) =>
        string.IsNullOrEmpty(path) || path[0] != '/' || path.Contains('\0', StringComparison.Ordinal)
            ? new DataRootVerdict(false, "", $"'{path}' is not an absolute local path")
            : null;

    private static string Normalize(string path) => Resolve(path, _ => null) ?? path;

    private static string[] Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
