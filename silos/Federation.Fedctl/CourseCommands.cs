using System.CommandLine;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Jobs;
using Federation.Fedctl.Output;

namespace Federation.Fedctl;

/// <summary><c>fedctl courses add|list|remove</c>: the courses student-tier jobs name (/api/v1/courses).</summary>
public static class CourseCommands
{
    /// <summary>The columns of the courses' table.</summary>
    public static IReadOnlyList<string> Headers { get; } = ["course", "supervisor", "title", "source"];

    /// <summary>The <c>courses</c> command.</summary>
    public static Command Build(FedctlContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var courses = new Command("courses", "The courses registered in this nation, which student-tier jobs name: list them; operators add and remove them.");
        courses.Subcommands.Add(List(context));
        courses.Subcommands.Add(Add(context));
        courses.Subcommands.Add(Remove(context));
        return courses;
    }

    /// <summary>Writes <paramref name="list"/> (an array of <c>CourseRecord</c>) as a table.</summary>
    public static void Write(JsonArray list, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(output);
        TableWriter.Write(output, Headers, list.OfType<JsonObject>().Select(c => (IReadOnlyList<string>)
        [
            JobText.Text(c["id"]), JobText.Text(c["supervisor"]), c["title"] is null ? "-" : JobText.Text(c["title"]), JobText.Text(c["source"]),
        ]));
    }

    private static Command List(FedctlContext context)
    {
        var command = new Command("list", "List the courses: from the silo's configuration and registered through the API.");
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var list = (await api.SendAsync(HttpMethod.Get, "api/v1/courses", cancellationToken: ct)).Body as JsonArray
                ?? throw new FedctlException($"the silo at {api.BaseAddress} answered GET /api/v1/courses without a JSON array", ExitCodes.WrongEndpoint);
            if (context.Json(parse))
            {
                context.WriteJson(list);
                return ExitCodes.Ok;
            }

            Write(list, output);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Add(FedctlContext context)
    {
        var id = new Argument<string>("id") { Description = "the course's id (lower-case letters, digits and '-'), which student-tier jobs give as course" };
        var supervisor = new Option<string>("--supervisor") { Description = "the supervisor's subject, {issuer}:{sub} (e.g. uni:prof); may submit for the course", Required = true };
        var title = new Option<string>("--title") { Description = "the course's title, for people" };
        var command = new Command("add", "Register a course (operator or nation admin).") { id, supervisor, title };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var body = new JsonObject { ["id"] = parse.GetValue(id), ["supervisor"] = parse.GetValue(supervisor) };
            if (parse.GetValue(title) is { } text)
            {
                body["title"] = text;
            }

            var course = (await api.SendAsync(HttpMethod.Post, "api/v1/courses", body, cancellationToken: ct)).Body!;
            if (context.Json(parse))
            {
                context.WriteJson(course);
                return ExitCodes.Ok;
            }

            Write([course.DeepClone()], output);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Remove(FedctlContext context)
    {
        var id = new Argument<string>("id") { Description = "the course's id" };
        var command = new Command("remove", "Remove a course registered through the API (operator or nation admin); student jobs naming it are refused from then on.") { id };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            await api.SendAsync(HttpMethod.Delete, $"api/v1/courses/{Uri.EscapeDataString(parse.GetValue(id)!)}", cancellationToken: ct);
            output.WriteLine($"course {parse.GetValue(id)} removed");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
