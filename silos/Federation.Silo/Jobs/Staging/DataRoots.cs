using Federation.Routing;
using Federation.Silo.Options;

namespace Federation.Silo.Jobs.Staging;

/// <summary>
/// This silo's data roots and the paths that are never data (its configuration directory, key and
/// roster files, job work root), applied to real <c>file:</c> locations through
/// <see cref="DataRootRule"/> with the file system's symbolic links. The roots and protected paths
/// are resolved at most once per <see cref="Refresh"/>, and again as soon as a link followed to
/// resolve a protected path points elsewhere (a key or roster swapped in by re-pointing a link, as
/// Kubernetes does with its secrets); a location is resolved afresh at every check, one
/// <c>readlink</c> per component.
/// </summary>
public sealed class DataRoots
{
    /// <summary>How long the roots and protected paths, resolved, are used before they are resolved again.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(5);

    private readonly string[] _roots;
    private readonly string[] _protected;
    private readonly TimeProvider _time;
    private Resolved? _resolved;

    /// <summary>Creates the rule's inputs; every path is made absolute.</summary>
    public DataRoots(IEnumerable<string> roots, IEnumerable<string?> protectedPaths, TimeProvider? time = null)
    {
        _roots = [.. roots.Select(r => Path.GetFullPath(r))];
        _protected = [.. protectedPaths.OfType<string>().Where(p => p.Length > 0).Select(p => Path.GetFullPath(p))];
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The data roots, as configured (absolute).</summary>
    public IReadOnlyList<string> Roots => _roots;

    /// <summary>Files and directories that are never data.</summary>
    public IReadOnlyList<string> ProtectedPaths => _protected;

    /// <summary>Whether <paramref name="location"/> may be read as dataset content; non-file locations are not this rule's business and pass.</summary>
    public DataRootVerdict Check(Uri location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location is { IsAbsoluteUri: true, IsFile: true }
            ? DataRootRule.Check(location.LocalPath, Current(), ReadLink)
            : new DataRootVerdict(true, "", $"{location.Scheme}: locations are not local files");
    }

    /// <summary>Builds the roots from <paramref name="options"/> (or the default root of <paramref name="nationCode"/>) and the silo's own paths.</summary>
    public static DataRoots From(DataOptions options, string nationCode, TimeProvider time, params string?[] protectedPaths)
    {
        ArgumentNullException.ThrowIfNull(options);
        var roots = options.Roots.Count > 0 ? options.Roots : [DataOptions.DefaultRoot(nationCode)];
        return new DataRoots(roots, protectedPaths, time);
    }

    private ResolvedRoots Current()
    {
        var now = _time.GetTimestamp();
        if (_resolved is { } known && _time.GetElapsedTime(known.At, now) < Refresh && known.Roots.StillCurrent(ReadLink))
        {
            return known.Roots;
        }

        var fresh = new Resolved(DataRootRule.ResolveRoots(_roots, _protected, ReadLink), now);
        _resolved = fresh;
        return fresh.Roots;
    }

    private static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed record Resolved(ResolvedRoots Roots, long At);
}
