using Federation.Routing;
using Federation.Silo.Options;

namespace Federation.Silo.Jobs.Staging;

/// <summary>
/// This silo's data roots and the paths that are never data (its configuration directory, key and
/// roster files, job work root), applied to real <c>file:</c> locations through
/// <see cref="DataRootRule"/> with the file system's symbolic links.
/// </summary>
public sealed class DataRoots
{
    private readonly string[] _roots;
    private readonly string[] _protected;

    /// <summary>Creates the rule's inputs; every path is made absolute.</summary>
    public DataRoots(IEnumerable<string> roots, IEnumerable<string?> protectedPaths)
    {
        _roots = [.. roots.Select(r => Path.GetFullPath(r))];
        _protected = [.. protectedPaths.OfType<string>().Where(p => p.Length > 0).Select(p => Path.GetFullPath(p))];
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
            ? DataRootRule.Check(location.LocalPath, _roots, _protected, ReadLink)
            : new DataRootVerdict(true, "", $"{location.Scheme}: locations are not local files");
    }

    /// <summary>Builds the roots from <paramref name="options"/> (or the default root of <paramref name="nationCode"/>) and the silo's own paths.</summary>
    public static DataRoots From(DataOptions options, string nationCode, params string?[] protectedPaths)
    {
        ArgumentNullException.ThrowIfNull(options);
        var roots = options.Roots.Count > 0 ? options.Roots : [DataOptions.DefaultRoot(nationCode)];
        return new DataRoots(roots, protectedPaths);
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
}
