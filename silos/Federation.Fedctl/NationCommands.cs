using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Federation.Contracts.Ids;
using Federation.Protocol;
using Federation.Protocol.Roster;

namespace Federation.Fedctl;

/// <summary><c>fedctl nation init|drain|undrain</c>: a nation's federation identity and roster entry, and draining it.</summary>
public static class NationCommands
{
    /// <summary>The federation endpoint printed when <c>--endpoint</c> is not given (the silo's default federation port).</summary>
    public const string DefaultEndpoint = "https://127.0.0.1:7443";

    /// <summary>The <c>nation</c> command.</summary>
    public static Command Build(FedctlContext context)
    {
        var nation = new Command("nation", "This nation's identity in the federation.");
        nation.Subcommands.Add(Init(context));
        nation.Subcommands.Add(NationDrainCommands.Drain(context));
        nation.Subcommands.Add(NationDrainCommands.Undrain(context));
        return nation;
    }

    private static Command Init(FedctlContext context)
    {
        var code = new Argument<string>("code") { Description = "the nation's ISO 3166-1 alpha-2 code, such as FR" };
        var outDir = new Option<string>("--out") { Description = "directory for <code>.pfx and <code>.crt.pem (default: current directory)" };
        var name = new Option<string>("--name") { Description = "the nation's display name in the roster (default: the code)" };
        var endpoint = new Option<string>("--endpoint") { Description = $"the nation's federation API URL, https://host:port (default: {DefaultEndpoint})" };
        var certificate = new Option<string>("--cert") { Description = "PEM certificate issued by the nation's own CA (with --key) instead of a new self-signed one" };
        var key = new Option<string>("--key") { Description = "PEM private key of --cert" };
        var force = new Option<bool>("--force") { Description = "overwrite an existing <code>.pfx (the old key is lost)" };
        var command = new Command("init", "Create the nation's key pair and certificate (ECDSA P-256, self-signed, 2 years) or import one issued by its CA; write <code>.pfx (mode 600) and <code>.crt.pem; print its roster entry.");
        command.Arguments.Add(code);
        foreach (var option in new Option[] { outDir, name, endpoint, certificate, key, force })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            if (!NationCode.TryParse(parse.GetValue(code), out var nationCode, out var error))
            {
                context.Error.WriteLine($"error: {error}");
                return ExitCodes.Usage;
            }

            var certPath = parse.GetValue(certificate);
            var keyPath = parse.GetValue(key);
            if ((certPath is null) != (keyPath is null))
            {
                context.Error.WriteLine("error: give --cert and --key together, or neither for a new self-signed certificate");
                return ExitCodes.Usage;
            }

            var url = parse.GetValue(endpoint) ?? DefaultEndpoint;
            var directory = Path.GetFullPath(parse.GetValue(outDir) ?? ".");
            var lower = nationCode.Value.ToLowerInvariant();
            var pfxPath = Path.Combine(directory, $"{lower}.pfx");
            var pemPath = Path.Combine(directory, $"{lower}.crt.pem");
            if (File.Exists(pfxPath) && !parse.GetValue(force))
            {
                context.Error.WriteLine($"error: {pfxPath} exists; it holds this nation's key. Use --force to replace it (peers then need the new pin).");
                return ExitCodes.Conflict;
            }

            X509Certificate2 identity;
            try
            {
                identity = certPath is null ? NationCertificates.Create(nationCode.Value) : NationCertificates.FromPem(certPath, keyPath!);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                context.Error.WriteLine($"error: cannot read the certificate and key: {e.Message}");
                return ExitCodes.Usage;
            }

            using (identity)
            {
                var entry = new RosterEntry(nationCode.Value, parse.GetValue(name) ?? nationCode.Value, url, ProtocolVersions.Supported, [SpkiPin.Compute(identity)]);
                var problems = RosterDocument.ValidateEntry(entry);
                if (problems.Count > 0)
                {
                    context.Error.WriteLine($"error: {string.Join("; ", problems)}");
                    return ExitCodes.Usage;
                }

                Directory.CreateDirectory(directory);
                WritePrivate(pfxPath, identity.Export(X509ContentType.Pkcs12));
                File.WriteAllText(pemPath, NationCertificates.ToPem(identity) + "\n");
                context.Output.WriteLine(JsonSerializer.Serialize(entry, RosterDocument.JsonOptions));
                context.Error.WriteLine($"wrote {pfxPath} (key and certificate, mode 600) and {pemPath}; add the entry above to the federation roster");
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    private static void WritePrivate(string path, byte[] content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        {
            stream.Write(content);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
