using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Jobs;
using Federation.Fedctl.Output;

namespace Federation.Fedctl;

/// <summary><c>fedctl shares</c>: entitlement, decayed usage and borrowed accelerators per nation and consortium, and the student tier (/api/v1/shares).</summary>
public static class ShareCommands
{
    /// <summary>The columns of the nations' table.</summary>
    public static IReadOnlyList<string> NationHeaders { get; } = ["nation", "entitlement", "usage (acc-h)", "factor", "held", "borrowed"];

    /// <summary>The columns of the consortia's table.</summary>
    public static IReadOnlyList<string> ConsortiumHeaders { get; } = ["consortium", "quota", "usage (acc-h)", "held", "borrowed"];

    /// <summary>The columns of the table of usage reported by peers.</summary>
    public static IReadOnlyList<string> ReportedHeaders { get; } = ["reported by", "nation", "usage (acc-h)", "until"];

    /// <summary>The <c>shares</c> command.</summary>
    public static Command Build(FedctlContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var shares = new Command("shares", "Fair share as this nation sees it: entitlement, decayed usage and borrowed accelerators per nation and consortium, and the student tier's quota and use.");
        shares.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var view = (await api.SendAsync(HttpMethod.Get, "api/v1/shares", cancellationToken: ct)).Body as JsonObject
                ?? throw new FedctlException($"the silo at {api.BaseAddress} answered GET /api/v1/shares without a JSON object", ExitCodes.WrongEndpoint);
            if (context.Json(parse))
            {
                context.WriteJson(view);
                return ExitCodes.Ok;
            }

            Write(view, output);
            return ExitCodes.Ok;
        }, ct));
        return shares;
    }

    /// <summary>Writes <paramref name="view"/> (a <c>SharesView</c>) as two tables and a line on the student tier.</summary>
    public static void Write(JsonObject view, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(Invariant($"{JobText.Text(view["nation"])}: {Number(view["total"]):0} accelerators, {Number(view["free"]):0} free; usage halves every {Number(view["halfLifeHours"]):0.#} h"));
        TableWriter.Write(output, NationHeaders, Rows(view["nations"]).Select(n => (IReadOnlyList<string>)
        [
            JobText.Text(n["name"]), Percent(n["entitlement"]), Invariant($"{Number(n["usage"]):0.0}"), Invariant($"{Number(n["factor"]):0.000}"),
            Invariant($"{Number(n["held"]):0}"), Invariant($"{Number(n["borrowed"]):0}"),
        ]));
        var consortia = Rows(view["consortia"]).ToList();
        if (consortia.Count > 0)
        {
            output.WriteLine();
            TableWriter.Write(output, ConsortiumHeaders, consortia.Select(c => (IReadOnlyList<string>)
            [
                JobText.Text(c["name"]), c["entitlement"] is null ? "-" : Percent(c["entitlement"]), Invariant($"{Number(c["usage"]):0.0}"),
                Invariant($"{Number(c["held"]):0}"), Invariant($"{Number(c["borrowed"]):0}"),
            ]));
        }

        WriteReported(view, output);
        var s = view["students"] as JsonObject ?? [];
        var names = (s["courses"] as JsonArray ?? []).Select(c => JobText.Text(c)).ToList();
        var courses = names.Count == 0 ? "none registered" : string.Join(", ", names);
        output.WriteLine();
        output.WriteLine(Invariant($"student tier: {Number(s["held"]):0} of {Number(s["quota"]):0} guaranteed accelerators held, {Number(s["usage"]):0.0} acc-h used; walltime at most {Number(s["maxWalltimeMinutes"]):0} min, {Number(s["maxPerUser"]):0} accelerators per student, {Number(s["maxPerCourse"]):0} per course; courses: {courses}"));
        WriteBorrowedRuns(view, output);
        WriteCourses(view, output);
    }

    /// <summary>Writes the usage peers reported (their signed usage reports), one row per reporting peer and origin nation; nothing when none.</summary>
    public static void WriteReported(JsonObject view, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(output);
        var reported = Rows(view["reported"]).ToList();
        if (reported.Count == 0)
        {
            return;
        }

        output.WriteLine();
        TableWriter.Write(output, ReportedHeaders, reported.Select(r => (IReadOnlyList<string>)
        [
            JobText.Text(r["reporter"]), JobText.Text(r["nation"]), Invariant($"{Number(r["usage"]):0.0}"), JobText.Text(r["reportedUntil"]),
        ]));
    }

    /// <summary>The columns of the borrowed runs' table.</summary>
    public static IReadOnlyList<string> BorrowedHeaders { get; } = ["job", "epoch", "consortium", "accelerators", "started", "walltime ends", "reclaimed, back by"];

    /// <summary>Writes the borrowed runs of <paramref name="view"/> as a table; nothing when there are none.</summary>
    public static void WriteBorrowedRuns(JsonObject view, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(output);
        var runs = Rows(view["borrowedRuns"]).ToList();
        if (runs.Count == 0)
        {
            return;
        }

        output.WriteLine();
        TableWriter.Write(output, BorrowedHeaders, runs.Select(r => (IReadOnlyList<string>)
        [
            JobText.Text(r["job"]), Invariant($"{Number(r["epoch"]):0}"), r["consortium"] is null ? "-" : JobText.Text(r["consortium"]), Invariant($"{Number(r["accelerators"]):0}"),
            Time(r["startedAt"]), Time(r["endsBy"]), r["returnBy"] is null ? "-" : Time(r["returnBy"]),
        ]));
    }

    /// <summary>Writes the courses of <paramref name="view"/> as a table; nothing when there are none.</summary>
    public static void WriteCourses(JsonObject view, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(output);
        if (view["courses"] is JsonArray { Count: > 0 } list)
        {
            output.WriteLine();
            CourseCommands.Write(list, output);
        }
    }

    private static string Time(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<DateTimeOffset>(out var t) ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : JobText.Text(node);

    private static IEnumerable<JsonObject> Rows(JsonNode? node) => (node as JsonArray ?? []).OfType<JsonObject>();

    private static double Number(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d : 0;

    private static string Percent(JsonNode? node) => Invariant($"{Number(node) * 100:0.0}%");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
