using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Protocol;
using Federation.Protocol.Roster;

namespace Federation.Fedctl.Roster;

/// <summary>Reading and writing roster proposals, nation keys and durations for <c>fedctl roster</c>.</summary>
public static class RosterFiles
{
    /// <summary>The roster version in force at the nation behind <paramref name="api"/>.</summary>
    public static async Task<SignedRoster> CurrentAsync(ApiClient api, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(api);
        var status = (await api.SendAsync(HttpMethod.Get, "api/v1/roster", cancellationToken: ct)).Body as JsonObject
            ?? throw new FedctlException($"the silo at {api.BaseAddress} answered GET /api/v1/roster without a JSON object", ExitCodes.WrongEndpoint);
        return SignedRoster.Parse(status["current"]?.ToJsonString() ?? throw new FedctlException($"the silo at {api.BaseAddress} answered GET /api/v1/roster without \"current\"", ExitCodes.WrongEndpoint));
    }

    /// <summary>Reads a proposal file.</summary>
    public static SignedRoster ReadProposal(string path)
    {
        try
        {
            return SignedRoster.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new FedctlException($"cannot read the roster proposal {path}: {e.Message}", e is FormatException ? ExitCodes.Invalid : ExitCodes.Usage);
        }
    }

    /// <summary>Writes a proposal to <paramref name="path"/>, or to <paramref name="output"/> when the path is null or <c>-</c>.</summary>
    public static void WriteProposal(SignedRoster proposal, string? path, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(output);
        if (path is null or "-")
        {
            output.WriteLine(proposal.ToJson());
            return;
        }

        var temporary = path + ".tmp";
        File.WriteAllText(temporary, proposal.ToJson());
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a roster entry (as <c>fedctl nation init</c> prints it) and checks it.</summary>
    public static RosterEntry ReadEntry(string path)
    {
        RosterEntry? entry;
        try
        {
            entry = JsonSerializer.Deserialize<RosterEntry>(File.ReadAllText(path), RosterDocument.JsonOptions);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new FedctlException($"cannot read the roster entry {path}: {e.Message}", ExitCodes.Invalid);
        }

        if (entry is null)
        {
            throw new FedctlException($"{path} holds no roster entry", ExitCodes.Invalid);
        }

        var problems = RosterDocument.ValidateEntry(entry);
        return problems.Count == 0 ? entry : throw new FedctlException($"the roster entry in {path} is invalid: {string.Join("; ", problems)}", ExitCodes.Invalid);
    }

    /// <summary>Loads a nation's key (a <c>.pfx</c> with its private key).</summary>
    public static X509Certificate2 LoadKey(string path)
    {
        try
        {
            var certificate = NationCertificates.LoadPfx(path);
            if (!certificate.HasPrivateKey)
            {
                certificate.Dispose();
                throw new FedctlException($"{path} holds no private key", ExitCodes.Invalid);
            }

            return certificate;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new FedctlException($"cannot read the nation key {path}: {e.Message}", ExitCodes.Invalid);
        }
    }

    /// <summary>Writes a new key for <paramref name="code"/> to <paramref name="path"/> (mode 600) and returns it.</summary>
    public static X509Certificate2 CreateKey(string code, string path)
    {
        var certificate = NationCertificates.Create(code);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(certificate.Export(X509ContentType.Pkcs12));
        return certificate;
    }

    /// <summary>Parses a duration: <c>7d</c>, <c>12h</c>, <c>30m</c>, or <c>d.hh:mm:ss</c>.</summary>
    public static TimeSpan ParseDuration(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 1 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
        {
            switch (text[^1])
            {
                case 'd': return TimeSpan.FromDays(amount);
                case 'h': return TimeSpan.FromHours(amount);
                case 'm': return TimeSpan.FromMinutes(amount);
                case 's': return TimeSpan.FromSeconds(amount);
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero
            ? span
            : throw new FedctlException($"{option}: '{text}' is not a duration such as 7d, 12h, 30m or 1.00:00:00", ExitCodes.Usage);
    }
}
