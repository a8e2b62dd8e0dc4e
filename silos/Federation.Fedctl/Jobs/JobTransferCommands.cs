using System.CommandLine;
using Federation.Fedctl.Output;

namespace Federation.Fedctl.Jobs;

/// <summary><c>fedctl jobs transfers &lt;id&gt;</c>: every byte of a job that crossed a border, as the nation's transparency log records it.</summary>
public static class JobTransferCommands
{
    /// <summary>The <c>transfers</c> subcommand of <c>fedctl jobs</c>.</summary>
    public static Command Transfers(FedctlContext context, Func<Argument<string>> idArgument)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(idArgument);
        var id = idArgument();
        var command = new Command("transfers", "Every byte of the job that crossed a border: what, from, to, bytes, sha256, status, when (from this nation's transparency log).") { id };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var (jobId, _) = JobText.ParseId(parse.GetValue(id)!);
            var body = (await api.SendAsync(HttpMethod.Get, JobText.PathOf(jobId, "/transfers"), cancellationToken: ct)).Body;
            if (context.Json(parse))
            {
                context.WriteJson(body);
                return ExitCodes.Ok;
            }

            var rows = body?.AsArray() ?? [];
            if (rows.Count == 0)
            {
                output.WriteLine($"no bytes of job {jobId} crossed a border (this nation's log records none)");
                return ExitCodes.Ok;
            }

            TableWriter.Write(output, ["when", "what", "name", "from", "to", "bytes", "sha256", "status"],
                rows.Select(r => (IReadOnlyList<string>)
                [
                    JobText.Text(r!["time"]), JobText.Text(r["what"]), JobText.Text(r["name"]), JobText.Text(r["from"]), JobText.Text(r["to"]),
                    JobText.Text(r["bytes"]), JobText.Text(r["sha256"]), JobText.Text(r["status"]),
                ]), maxCellWidth: 72);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
