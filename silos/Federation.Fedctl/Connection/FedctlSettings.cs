using System.Text.Json;
using System.Text.Json.Nodes;

namespace Federation.Fedctl.Connection;

/// <summary>
/// Where fedctl connects and with which token, like other cluster CLIs: a flag wins over the
/// environment (<c>FEDCTL_URL</c>, <c>FEDCTL_TOKEN</c>), which wins over the config file
/// (<c>FEDCTL_CONFIG</c>, else <c>~/.config/fedctl/config.json</c>), which wins over the default
/// <c>http://127.0.0.1:5180</c> (the embedded silo).
/// </summary>
public sealed record FedctlSettings(Uri Url, string? Token, string UrlSource, string TokenSource)
{
    /// <summary>The embedded silo's address.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5180";

    /// <summary>The config file in use.</summary>
    public static string ConfigPath(IReadOnlyDictionary<string, string?> environment) =>
        environment.GetValueOrDefault("FEDCTL_CONFIG") is { Length: > 0 } path
            ? path
            : Path.Combine(environment.GetValueOrDefault("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "fedctl", "config.json");

    /// <summary>Resolves the settings from flags, environment and the config file.</summary>
    public static FedctlSettings Resolve(string? urlFlag, string? tokenFlag, IReadOnlyDictionary<string, string?> environment)
    {
        var path = ConfigPath(environment);
        JsonObject? file = null;
        if (File.Exists(path))
        {
            try
            {
                file = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                    ?? throw new FedctlException($"{path} must hold a JSON object such as {{\"url\": \"...\", \"token\": \"...\"}}", ExitCodes.Usage);
            }
            catch (JsonException e)
            {
                throw new FedctlException($"{path} is not valid JSON ({e.Message}); fix it or write it again with 'fedctl config set'", ExitCodes.Usage);
            }
        }

        var (url, urlSource) = Pick(urlFlag, "--url", environment.GetValueOrDefault("FEDCTL_URL"), "FEDCTL_URL", file?["url"]?.GetValue<string>(), path)
            ?? (DefaultUrl, "default (embedded silo)");
        var pickedToken = Pick(tokenFlag, "--token", environment.GetValueOrDefault("FEDCTL_TOKEN"), "FEDCTL_TOKEN", file?["token"]?.GetValue<string>(), path);
        var token = pickedToken?.Value;
        var tokenSource = pickedToken?.Source ?? "none";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new FedctlException($"'{url}' (from {urlSource}) is not an http(s) URL such as {DefaultUrl} or {DefaultUrl}/api/v1", ExitCodes.Usage);
        }

        return new FedctlSettings(BaseOf(uri), token, urlSource, tokenSource);
    }

    /// <summary>
    /// The base every API path is relative to, ending in '/': the URL as given, or without its
    /// <c>/api/v1</c> (the form <c>infra/local/federation up</c> prints), so both name the same nation.
    /// </summary>
    public static Uri BaseOf(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var path = url.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/api/v1", StringComparison.OrdinalIgnoreCase))
        {
            path = path[..^"/api/v1".Length];
        }

        return new UriBuilder(url) { Path = path + "/", Query = "", Fragment = "" }.Uri;
    }

    /// <summary>Writes the config file, keeping what is not given.</summary>
    public static string Save(string? url, string? token, IReadOnlyDictionary<string, string?> environment)
    {
        var path = ConfigPath(environment);
        var config = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? [] : [];
        if (url is not null)
        {
            config["url"] = url;
        }

        if (token is not null)
        {
            config["token"] = token;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    private static (string Value, string Source)? Pick(string? flag, string flagName, string? env, string envName, string? file, string path) =>
        !string.IsNullOrEmpty(flag) ? (flag, flagName)
        : !string.IsNullOrEmpty(env) ? (env, envName)
        : !string.IsNullOrEmpty(file) ? (file, path)
        : null;
}
