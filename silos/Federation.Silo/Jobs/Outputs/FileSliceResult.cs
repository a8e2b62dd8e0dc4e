namespace Federation.Silo.Jobs.Outputs;

/// <summary>
/// Writes <c>length</c> bytes of a file from <c>offset</c> (a log that may still grow is sent as far
/// as it was when asked), with its length and any extra headers. The file is checked once open to be
/// the one asked for (on Linux, through <c>/proc/self/fd</c>): a running workload that swaps it for a
/// symbolic link after the checks gets nothing served through it. When <c>sent</c> is given, the bytes
/// are hashed as they go and it is told, once the response ended, how many went, their SHA-256 and
/// whether all that was promised went (the caller logs the transfer; the answer does not wait for it).
/// </summary>
internal sealed class FileSliceResult(
    string path, long offset, long length, string contentType, IReadOnlyDictionary<string, string>? headers = null, Action<long, string, bool>? sent = null) : IResult
{
    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true);
        if (!IsTheFileAskedFor(stream))
        {
            await Api.Problems.Status(StatusCodes.Status409Conflict, "File not served", "the file changed into a link while it was being opened; only regular files of the job directory are served")
                .ExecuteAsync(httpContext);
            return;
        }

        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = length;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        stream.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[1 << 16];
        var left = length;
        using var hash = sent is null ? null : System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        try
        {
            while (left > 0)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), httpContext.RequestAborted);
                if (read == 0)
                {
                    // Truncated since it was measured: the length promised cannot be kept; end the response.
                    httpContext.Abort();
                    return;
                }

                await response.Body.WriteAsync(buffer.AsMemory(0, read), httpContext.RequestAborted);
                hash?.AppendData(buffer, 0, read);
                left -= read;
            }
        }
        finally
        {
            if (hash is not null)
            {
                sent!(length - left, Convert.ToHexStringLower(hash.GetCurrentHash()), left == 0);
            }
        }
    }

    /// <summary>
    /// The path with every symbolic link in it resolved (as <c>realpath</c> does); links are followed at
    /// most 40 deep.
    /// </summary>
    internal static string RealPath(string path, int depth = 0)
    {
        if (depth > 40)
        {
            throw new IOException($"too many levels of symbolic links in {path}");
        }

        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full) ?? "/";
        foreach (var part in full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            var target = new FileInfo(next).LinkTarget;
            current = target is null ? next : RealPath(Path.GetFullPath(target, current), depth + 1);
        }

        return current;
    }

    private bool IsTheFileAskedFor(FileStream stream)
    {
        if (!OperatingSystem.IsLinux())
        {
            return true;
        }

        try
        {
            var opened = new FileInfo($"/proc/self/fd/{stream.SafeFileHandle.DangerousGetHandle()}").LinkTarget;
            return opened is null || string.Equals(opened, RealPath(path), StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
