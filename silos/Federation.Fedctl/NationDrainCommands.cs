using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Jobs;
using Federation.Fedctl.Output;

namespace Federation.Fedctl;

/// <summary>
/// <c>fedctl nation drain|undrain</c>: this nation stops admitting offers (origins route elsewhere at
/// once), its advert says draining, and its running executions finish or, with <c>--give-back</c>,
/// are stopped and given back to their origins; <c>--wait</c> shows what is left until it is empty.
/// </summary>
public static class NationDrainCommands
{
    /// <summary>The columns of the progress table.</summary>
    public static IReadOnlyList<string> Headers { get; } = ["running", "leased", "pending-outbox"];

    /// <summary>The <c>drain</c> command.</summary>
    public static Command Drain(FedctlContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var giveBack = new Option<bool>("--give-back") { Description = "stop the running executions and give them back to their origins (they re-route at once; nothing counts as failed)" };
        var reason = new Option<string>("--reason") { Description = "why, sent with every refusal and give-back (default: operator drain)" };
        var wait = new Option<bool>("--wait") { Description = "show running, leased and pending-outbox until the nation is empty" };
        var interval = new Option<double>("--interval") { Description = "seconds between progress lines with --wait", DefaultValueFactory = _ => 2 };
        var timeout = new Option<double>("--timeout") { Description = "give up waiting after this many seconds (exit 8)", DefaultValueFactory = _ => 3600 };
        var command = new Command("drain", "Drain this nation: admit no new offers, advertise no free capacity, let running executions finish (or give them back); the nation's own jobs are still served elsewhere.")
        {
            giveBack, reason, wait, interval, timeout,
        };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var body = new JsonObject { ["draining"] = true, ["giveBack"] = parse.GetValue(giveBack) };
            if (parse.GetValue(reason) is { } why)
            {
                body["reason"] = why;
            }

            var status = (await api.SendAsync(HttpMethod.Post, "api/v1/nation:drain", body, cancellationToken: ct)).Body!;
            if (!parse.GetValue(wait))
            {
                Write(context, parse, status, output, header: true);
                return ExitCodes.Ok;
            }

            return await WaitAsync(context, parse, api, status, TimeSpan.FromSeconds(Math.Max(0.2, parse.GetValue(interval))), TimeSpan.FromSeconds(parse.GetValue(timeout)), output, ct);
        }, ct));
        return command;
    }

    /// <summary>The <c>undrain</c> command.</summary>
    public static Command Undrain(FedctlContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("undrain", "Admit offers again and advertise free capacity again.");
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var status = (await api.SendAsync(HttpMethod.Post, "api/v1/nation:drain", new JsonObject { ["draining"] = false }, cancellationToken: ct)).Body!;
            Write(context, parse, status, output, header: true);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    /// <summary>The three counts of a drain status.</summary>
    public static (int Running, int Leased, int PendingOutbox) Counts(JsonNode status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return (status["running"]!.GetValue<int>(), status["leased"]!.GetValue<int>(), status["pendingOutbox"]!.GetValue<int>());
    }

    private static async Task<int> WaitAsync(FedctlContext context, System.CommandLine.ParseResult parse, ApiClient api, JsonNode status, TimeSpan interval, TimeSpan timeout, TextWriter output, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        Write(context, parse, status, output, header: true);
        while (!status["empty"]!.GetValue<bool>())
        {
            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new FedctlException($"not empty after {timeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s: {Left(status)}", ExitCodes.Unavailable);
            }

            // A command-line poll of the operator's progress view, not a synchronisation.
            await Task.Delay(interval, ct);
            status = (await api.SendAsync(HttpMethod.Get, "api/v1/nation/drain", cancellationToken: ct)).Body!;
            Write(context, parse, status, output, header: false);
        }

        if (!context.Json(parse))
        {
            output.WriteLine("drained: nothing running, leased or pending; the nation may leave (fedctl federation leave)");
        }

        return ExitCodes.Ok;
    }

    /// <summary>What a status still holds, in words.</summary>
    public static string Left(JsonNode status)
    {
        var (running, leased, pending) = Counts(status);
        var executions = status["executions"]?.AsArray().Select(e => $"{JobText.Text(e!["job"])} epoch {JobText.Text(e["epoch"])} ({JobText.Text(e["state"])})").Take(10).ToList() ?? [];
        return string.Create(CultureInfo.InvariantCulture, $"{running} running, {leased} leased, {pending} with reports pending to their origins")
            + (executions.Count == 0 ? "" : $": {string.Join(", ", executions)}");
    }

    private static void Write(FedctlContext context, System.CommandLine.ParseResult parse, JsonNode status, TextWriter output, bool header)
    {
        if (context.Json(parse))
        {
            context.WriteJson(status);
            return;
        }

        if (header)
        {
            var draining = status["draining"]!.GetValue<bool>();
            output.WriteLine(draining
                ? $"draining since {JobText.Text(status["since"])}{(status["giveBack"]!.GetValue<bool>() ? ", giving running executions back" : ", letting running executions finish")}: {JobText.Text(status["reason"])}"
                : "not draining: offers are admitted");
            if (status["givenBack"]?.GetValue<int>() is > 0 and var given)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gave {given} execution(s) back to their origins"));
            }
        }

        var (running, leased, pending) = Counts(status);
        var row = new[] { running.ToString(CultureInfo.InvariantCulture), leased.ToString(CultureInfo.InvariantCulture), pending.ToString(CultureInfo.InvariantCulture) };
        if (header)
        {
            TableWriter.Write(output, Headers, [row]);
        }
        else
        {
            // Aligned under the header written first.
            using var line = new StringWriter(CultureInfo.InvariantCulture);
            TableWriter.Write(line, Headers, [row]);
            output.WriteLine(line.ToString().Split('\n')[1].TrimEnd('\r'));
        }
    }
}
