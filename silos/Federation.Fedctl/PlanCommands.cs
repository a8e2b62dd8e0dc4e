using System.CommandLine;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Jobs;
using Federation.Fedctl.Output;

namespace Federation.Fedctl;

/// <summary><c>fedctl plan job.json</c>: where a job would run and why, without submitting it.</summary>
public static class PlanCommands
{
    /// <summary>The columns of the decision table.</summary>
    public static IReadOnlyList<string> Headers => DecisionTable.Headers;

    /// <summary>The <c>plan</c> command.</summary>
    public static Command Build(FedctlContext context)
    {
        var file = new Argument<string>("file")
        {
            Description = "the job as a JSON object ('-' reads standard input): id, owner, inputs (NATION/dataset-id), purpose, accelerators, work, walltimeMinutes, workload",
        };
        var failIfNowhere = new Option<bool>("--fail-if-nowhere")
        {
            Description = $"exit {ExitCodes.Nowhere} when no nation can run the job (default: exit 0, the table gives every reason)",
        };
        var command = new Command(
            "plan",
            "Plan a job on this nation: every candidate nation with the rules that exclude it or its score (energy, gCO2e of compute and transfer, expected wait), the ranking, and the chosen nation. Nothing is submitted.")
        {
            file,
        };
        command.Options.Add(failIfNowhere);
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var job = JobFile.Read(parse.GetValue(file)!, context.Input);
            var decision = (await api.SendAsync(HttpMethod.Post, "api/v1/routes:plan", job, cancellationToken: ct)).Body as JsonObject
                ?? throw new FedctlException("the silo answered the plan without a decision record (no JSON object)", ExitCodes.Failure);
            if (context.Json(parse))
            {
                output.WriteLine(decision.ToJsonString(FedctlContext.Indented));
            }
            else
            {
                WriteDecision(output, decision);
            }

            return decision["chosen"] is null && parse.GetValue(failIfNowhere) ? ExitCodes.Nowhere : ExitCodes.Ok;
        }, ct));
        return command;
    }

    /// <summary>Writes <paramref name="decision"/> as a table (see <see cref="DecisionTable"/>).</summary>
    public static void WriteDecision(TextWriter output, JsonObject decision) => DecisionTable.Write(output, decision);
}
