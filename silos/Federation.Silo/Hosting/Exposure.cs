using System.Net;

namespace Federation.Silo.Hosting;

/// <summary>
/// Whether the user API listens beyond this machine. Embedded mode is open without tokens only
/// because nobody else can reach it: on any other address it needs tokens and then requires them.
/// </summary>
public static class Exposure
{
    /// <summary>The URLs of <paramref name="urls"/> (as in <c>Federation:Urls</c>) whose host is not a loopback address.</summary>
    public static IReadOnlyList<string> NonLoopback(string urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        return [.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(u => !IsLoopback(u))];
    }

    /// <summary>True when <paramref name="url"/> binds only to loopback (<c>localhost</c>, 127.0.0.0/8, ::1).</summary>
    public static bool IsLoopback(string url)
    {
        ArgumentNullException.ThrowIfNull(url);

        // Kestrel's wildcards (http://*:5180, http://+:5180) do not parse as URIs with a host.
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var rest = scheme < 0 ? url : url[(scheme + 3)..];
        var end = rest.IndexOfAny(['/', '?', '#']);
        var authority = end < 0 ? rest : rest[..end];
        string host;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            host = close < 0 ? authority : authority[1..close];
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
        }

        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
