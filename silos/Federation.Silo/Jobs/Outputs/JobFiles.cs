using System.Collections.Immutable;
using Federation.Execution;
using Federation.Silo.Jobs.Staging;

namespace Federation.Silo.Jobs.Outputs;

/// <summary>
/// The logs and outputs of a job directory as the API serves them: which log a stream names, the
/// last lines of a log, the files of the outputs directory (regular files only: symbolic links are
/// neither listed nor served), and an output's path from its name, refusing any name that would
/// leave the outputs directory.
/// </summary>
public static class JobFiles
{
    /// <summary>The most lines <c>?tail=</c> takes.</summary>
    public const int MaxTail = 100_000;

    /// <summary>The longest output name.</summary>
    public const int MaxNameLength = 1024;

    /// <summary>The streams a job has logs of.</summary>
    public static IReadOnlyList<string> Streams { get; } = ["stdout", "stderr"];

    /// <summary>The log file of <paramref name="stream"/> (<c>stdout</c> or <c>stderr</c>), or null for another name.</summary>
    public static string? LogPath(JobDirectory directory, string stream) => stream switch
    {
        "stdout" => directory.Stdout,
        "stderr" => directory.Stderr,
        _ => null,
    };

    /// <summary>
    /// Checks an output name as it came in the path (decoded once more, so that an encoded <c>/</c>
    /// cannot hide a <c>..</c>): relative, no <c>.</c> or <c>..</c> segment, no backslash or control
    /// character. Returns the name with <c>/</c> separators.
    /// </summary>
    public static bool TryNormalizeName(string? raw, out string name, out string error)
    {
        name = "";
        if (string.IsNullOrEmpty(raw))
        {
            error = "an output name is required, such as model.bin or metrics/final.json";
            return false;
        }

        var decoded = Uri.UnescapeDataString(raw);
        if (decoded.Length > MaxNameLength)
        {
            error = $"at most {MaxNameLength} characters";
            return false;
        }

        if (decoded.Any(c => char.IsControl(c) || c == '\\'))
        {
            error = $"'{raw}' holds a backslash or a control character; output names are relative paths with '/'";
            return false;
        }

        if (decoded.StartsWith('/') || Path.IsPathRooted(decoded))
        {
            error = $"'{raw}' is an absolute path; output names are relative to the job's outputs directory";
            return false;
        }

        var segments = decoded.Split('/');
        if (segments.Any(s => s is "" or "." or ".."))
        {
            error = $"'{raw}' leaves the job's outputs directory or has an empty, '.' or '..' segment; output names are relative paths inside it";
            return false;
        }

        name = string.Join('/', segments);
        error = "";
        return true;
    }

    /// <summary>
    /// The file of output <paramref name="name"/> (normalized by <see cref="TryNormalizeName"/>): null
    /// with the reason when it would leave the outputs directory, passes through a symbolic link, or is
    /// not a regular file there (<c>Missing</c> true when it does not exist).
    /// </summary>
    public static (string? Path, string? Error, bool Missing) ResolveOutput(JobDirectory directory, string name)
    {
        var root = Path.GetFullPath(directory.Outputs);
        var full = Path.GetFullPath(Path.Combine(root, name));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return (null, $"'{name}' leaves the job's outputs directory", false);
        }

        // No link at or anywhere below the outputs directory: a workload could point one at the inputs or elsewhere.
        if (new DirectoryInfo(root).LinkTarget is not null)
        {
            return (null, "the job's outputs directory is a symbolic link; nothing in it is served", false);
        }

        var current = root;
        foreach (var segment in Path.GetRelativePath(root, full).Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, segment);
            FileSystemInfo entry = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (entry.LinkTarget is not null)
            {
                return (null, $"'{name}' is or passes through a symbolic link; only regular files in the outputs directory are served", false);
            }

            if (!entry.Exists)
            {
                return (null, $"there is no output '{name}'", true);
            }
        }

        return File.Exists(full) ? (full, null, false) : (null, $"'{name}' is a directory; list the outputs to see its files", true);
    }

    /// <summary>The regular files under the outputs directory, by name, each with its size, SHA-256 and time.</summary>
    public static async Task<ImmutableArray<OutputFile>> ListAsync(JobDirectory directory, FileDigestCache digests, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(directory.Outputs);
        if (!Directory.Exists(root) || new DirectoryInfo(root).LinkTarget is not null)
        {
            return [];
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        var files = new List<OutputFile>();
        foreach (var file in new DirectoryInfo(root).EnumerateFiles("*", options))
        {
            if (file.LinkTarget is not null)
            {
                continue;
            }

            string digest;
            try
            {
                digest = await digests.Sha256Async(file.FullName, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Removed or locked while listing: left out.
                continue;
            }

            file.Refresh();
            var name = Path.GetRelativePath(root, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            files.Add(new OutputFile(name, file.Length, digest, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero)));
        }

        return [.. files.OrderBy(f => f.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The offset in the first <paramref name="length"/> bytes of <paramref name="stream"/> where its
    /// last <paramref name="lines"/> lines start (a final line break does not start an empty line).
    /// </summary>
    public static long TailOffset(Stream stream, long length, int lines)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (lines <= 0)
        {
            return length;
        }

        var buffer = new byte[8192];
        var end = length;
        var found = 0;
        var skipFinal = true;
        while (end > 0)
        {
            var start = Math.Max(0, end - buffer.Length);
            var count = (int)(end - start);
            stream.Seek(start, SeekOrigin.Begin);
            stream.ReadExactly(buffer, 0, count);
            for (var i = count - 1; i >= 0; i--)
            {
                if (buffer[i] != (byte)'\n')
                {
                    skipFinal = false;
                    continue;
                }

                if (skipFinal && start + i == length - 1)
                {
                    skipFinal = false;
                    continue;
                }

                skipFinal = false;
                if (++found == lines)
                {
                    return start + i + 1;
                }
            }

            end = start;
        }

        return 0;
    }
}
