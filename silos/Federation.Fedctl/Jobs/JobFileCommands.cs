using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Output;

namespace Federation.Fedctl.Jobs;

/// <summary>
/// <c>fedctl jobs logs ID [--stderr] [--tail N]</c> and <c>fedctl jobs outputs ID [--get NAME [--to FILE]]</c>:
/// what the job's current run wrote, wherever in the federation it ran, unless the nation that ran it
/// keeps it there (the job read data that must stay there): then the reason and exit code
/// <see cref="Withheld"/>.
/// </summary>
public static class JobFileCommands
{
    /// <summary>Exit code when the nation that ran the job keeps its logs and outputs (<see cref="ExitCodes.Withheld"/>).</summary>
    public const int Withheld = ExitCodes.Withheld;

    /// <summary>The columns of <c>jobs outputs</c>.</summary>
    public static IReadOnlyList<string> OutputHeaders { get; } = ["name", "size", "sha256", "modified"];

    /// <summary>The <c>jobs logs</c> command.</summary>
    public static Command Logs(FedctlContext context, Func<Argument<string>> idArgument)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(idArgument);
        var id = idArgument();
        var stderr = new Option<bool>("--stderr") { Description = "the standard error log (default: standard output)" };
        var tail = new Option<int?>("--tail") { HelpName = "N", Description = "only the last N lines (1-100000)" };
        var command = new Command(
            "logs",
            $"Print a log of the job's current run, wherever it ran. When the nation that ran it keeps it (the job read data that must stay there), print why and exit {Withheld}.")
        {
            id,
        };
        command.Options.Add(stderr);
        command.Options.Add(tail);
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            if (parse.GetValue(tail) is { } lines && lines is < 1 or > 100_000)
            {
                throw new FedctlException("--tail takes 1 to 100000 lines", ExitCodes.Usage);
            }

            var jobId = await ResolveAsync(api, parse.GetValue(id)!, ct);
            var stream = parse.GetValue(stderr) ? "stderr" : "stdout";
            var query = parse.GetValue(tail) is { } n ? $"?tail={n.ToString(CultureInfo.InvariantCulture)}" : "";
            using var files = new JobFileClient(context.Settings(parse), api);
            using var response = await files.GetAsync(JobText.PathOf(jobId, $"/logs/{stream}{query}"), ct);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct), Encoding.UTF8);
            var buffer = new char[16_384];
            int read;
            while ((read = await reader.ReadAsync(buffer, ct)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), ct);
            }

            await output.FlushAsync(ct);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    /// <summary>The <c>jobs outputs</c> command.</summary>
    public static Command Outputs(FedctlContext context, Func<Argument<string>> idArgument)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(idArgument);
        var id = idArgument();
        var get = new Option<string>("--get") { HelpName = "NAME", Description = "download this output (its name as listed, such as metrics/final.json)" };
        var file = new Option<string>("--to") { HelpName = "FILE", Description = "where --get writes it (default: its file name in the current directory, which must not exist yet)" };
        var command = new Command(
            "outputs",
            $"List the outputs of the job's current run (name, size, sha256), wherever it ran, or download one with --get. When the nation that ran it keeps them (the job read data that must stay there), print why and exit {Withheld}.")
        {
            id,
        };
        command.Options.Add(get);
        command.Options.Add(file);
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var jobId = await ResolveAsync(api, parse.GetValue(id)!, ct);
            using var files = new JobFileClient(context.Settings(parse), api);
            if (parse.GetValue(get) is { Length: > 0 } name)
            {
                return await DownloadAsync(files, output, jobId, name, parse.GetValue(file), ct);
            }

            if (parse.GetValue(file) is not null)
            {
                throw new FedctlException("--to goes with --get NAME", ExitCodes.Usage);
            }

            JsonNode listing;
            using (var response = await files.GetAsync(JobText.PathOf(jobId, "/outputs"), ct))
            {
                listing = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
            }

            if (context.Json(parse))
            {
                output.WriteLine(listing.ToJsonString(FedctlContext.Indented));
                return ExitCodes.Ok;
            }

            var items = listing["items"]?.AsArray() ?? [];
            if (items.Count == 0)
            {
                output.WriteLine($"job {jobId} (epoch {JobText.Text(listing["epoch"])}, run in {JobText.Text(listing["nation"])}) wrote no outputs");
                return ExitCodes.Ok;
            }

            TableWriter.Write(output, OutputHeaders, items.Select(i => (IReadOnlyList<string>)
            [
                JobText.Text(i!["name"]), JobText.Text(i["sizeBytes"]), JobText.Text(i["sha256"]), JobText.Time(i["modified"]),
            ]), maxCellWidth: int.MaxValue);
            context.Error.WriteLine($"epoch {JobText.Text(listing["epoch"])}, run in {JobText.Text(listing["nation"])}; download one with 'fedctl jobs outputs {jobId} --get NAME'");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static async Task<int> DownloadAsync(JobFileClient files, TextWriter output, string jobId, string name, string? target, CancellationToken ct)
    {
        var path = target ?? Path.GetFileName(name.TrimEnd('/'));
        if (path.Length == 0)
        {
            throw new FedctlException($"'{name}' names no file; give one with --to FILE", ExitCodes.Usage);
        }

        if (target is null && File.Exists(path))
        {
            throw new FedctlException($"{path} exists; choose where to write it with --to FILE", ExitCodes.Usage);
        }

        // Escaped whole ('/' too): the silo decodes the name and checks it; a '..' cannot be lost to path normalization on the way.
        using var response = await files.GetAsync(JobText.PathOf(jobId, $"/outputs/{Uri.EscapeDataString(name)}"), ct);
        var stated = response.Headers.TryGetValues("X-Content-Sha256", out var values) ? values.FirstOrDefault() : null;
        var temporary = path + ".partial";
        long bytes = 0;
        string digest;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var body = await response.Content.ReadAsStreamAsync(ct))
            await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await body.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await stream.WriteAsync(buffer.AsMemory(0, read), ct);
                    bytes += read;
                }
            }

            digest = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (stated is not null && !string.Equals(stated, digest, StringComparison.OrdinalIgnoreCase))
            {
                throw new FedctlException($"the download of {name} does not match its sha256: the silo stated {stated}, the bytes hash to {digest}; nothing was written", ExitCodes.Failure);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (IOException e)
        {
            throw new FedctlException($"cannot write {path}: {e.Message}", ExitCodes.Failure);
        }
        finally
        {
            File.Delete(temporary);
        }

        output.WriteLine($"saved {name} of job {jobId} to {path} ({bytes} bytes, sha256 {digest}{(stated is null ? "" : ", verified")})");
        return ExitCodes.Ok;
    }

    /// <summary>The id to put in paths; a global id (<c>FR/train-1</c>) is checked to name a job of this nation first.</summary>
    private static async Task<string> ResolveAsync(ApiClient api, string text, CancellationToken ct)
    {
        var (id, nation) = JobText.ParseId(text);
        if (nation is not null)
        {
            var record = (await api.SendAsync(HttpMethod.Get, JobText.PathOf(id), cancellationToken: ct)).Body!;
            var actual = JobText.Text(record["ref"]);
            if (!actual.StartsWith(nation + "/", StringComparison.OrdinalIgnoreCase))
            {
                throw new FedctlException(
                    $"not found: the silo at {api.BaseAddress} holds the jobs submitted to {JobText.ParseId(actual).Nation ?? "its nation"}, and {text} was submitted to {nation}: ask that nation's silo (--url)",
                    ExitCodes.NotFound);
            }
        }

        return id;
    }
}
