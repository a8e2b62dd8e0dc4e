using System.Globalization;
using System.Net;
using System.Text;

namespace Federation.Silo.Overview;

/// <summary>
/// Writes an <see cref="OverviewModel"/> as HTML: the whole page, or its sections one by one (the live
/// updates replace a section by its id). Every text from the model is encoded, since peers choose
/// much of it (names, adverts, reasons).
/// </summary>
public static class OverviewRenderer
{
    /// <summary>The ids of the sections, in page order.</summary>
    public static IReadOnlyList<string> SectionIds { get; } = ["ov-status", "ov-logs", "ov-nations", "ov-jobs", "ov-flows", "ov-pending", "ov-refusals", "ov-silos"];

    /// <summary>Each section's HTML by id, in page order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Sections(OverviewModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return
        [
            new("ov-status", Status(model)),
            new("ov-logs", Logs(model)),
            new("ov-nations", Nations(model)),
            new("ov-jobs", Jobs(model)),
            new("ov-flows", Flows(model)),
            new("ov-pending", Pending(model)),
            new("ov-refusals", Refusals(model)),
            new("ov-silos", Silos(model)),
        ];
    }

    /// <summary>The whole page; <paramref name="live"/> adds the script that keeps it up to date.</summary>
    public static string Page(OverviewModel model, bool live = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        var title = E($"Federation overview · nation {model.Local}");
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title}</title>
            <link rel="stylesheet" href="/overview/overview.css">
            {(live ? "<script src=\"/overview/live.js\" defer></script>" : "")}
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header><h1>{title}</h1>
            <nav aria-label="Sections"><ul>
            <li><a href="#ov-nations">Nations</a></li><li><a href="#ov-jobs">Jobs</a></li><li><a href="#ov-flows">Flows</a></li>
            <li><a href="#ov-pending">Pending</a></li><li><a href="#ov-refusals">Refusals</a></li><li><a href="#ov-silos">Silos</a></li>
            <li><a href="/dashboard/">Orleans dashboard</a></li>
            </ul></nav></header>
            <main id="main" tabindex="-1">

            """);
        foreach (var (_, section) in Sections(model))
        {
            html.Append(section).Append('\n');
        }

        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string Status(OverviewModel m) =>
        $"<section id=\"ov-status\" aria-label=\"Update status\"><p role=\"status\">Facts read at <time datetime=\"{E(Time(m.Now))}\">{E(Time(m.Now))}</time>. <span id=\"ov-live\">Live updates are off (reload the page to refresh).</span></p></section>";

    private static string Logs(OverviewModel m)
    {
        var html = new StringBuilder("<section id=\"ov-logs\" aria-labelledby=\"h-logs\"><h2 id=\"h-logs\">Transparency-log alerts</h2>");
        if (m.FlaggedLogs.Count == 0)
        {
            html.Append("<p>No peer's signed log heads are flagged.</p>");
        }
        else
        {
            html.Append("<ul class=\"alerts\">");
            foreach (var n in m.FlaggedLogs)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li><strong>Warning: {E(n.Code)} log heads {E(n.Log)}</strong>: {E(n.LogReason)}</li>");
            }

            html.Append("</ul>");
        }

        return html.Append("</section>").ToString();
    }

    private static string Nations(OverviewModel m)
    {
        var html = new StringBuilder("<section id=\"ov-nations\" aria-labelledby=\"h-nations\"><h2 id=\"h-nations\">Nations</h2><table><caption>Every nation of the roster as this nation sees it</caption><thead><tr>"
            + "<th scope=\"col\">Nation</th><th scope=\"col\">Health</th><th scope=\"col\">Protocol</th><th scope=\"col\">Accelerators (free / total)</th>"
            + "<th scope=\"col\">Grid intensity (gCO2e/kWh)</th><th scope=\"col\">PUE</th><th scope=\"col\">Forecast</th><th scope=\"col\">Log heads</th></tr></thead><tbody>");
        foreach (var n in m.Nations)
        {
            var accelerators = n.Accelerators.Count == 0 ? "none advertised"
                : string.Join("<br>", n.Accelerators.Select(a => E($"{a.Slug}: {a.Free} / {a.Total}")));
            var health = $"<span class=\"health {Css(n.Health)}\">{E(n.Health)}</span>" + (n.HealthReason is null ? "" : $"<br><small>{E(n.HealthReason)}</small>");
            var intensity = n.GridIntensity is { } g ? E($"{g.ToString("0.#", CultureInfo.InvariantCulture)} ({n.GridZone})") : "not advertised";
            var flags = n.ClaimFlags.Count == 0 ? "" : $"<br><small>flagged: {E(string.Join("; ", n.ClaimFlags))}</small>";
            var log = n.LogFlagged ? $"<strong class=\"flag\">Warning: {E(n.Log)}</strong>" : E(n.Log);
            html.Append(CultureInfo.InvariantCulture, $"<tr data-nation=\"{E(n.Code)}\"><th scope=\"row\">{E(n.Code)}{(n.Name == n.Code ? "" : $" <small>{E(n.Name)}</small>")}</th><td data-field=\"health\">{health}</td><td>{E(n.Protocols)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{accelerators}</td><td>{intensity}{flags}</td><td>{(n.Pue is { } p ? E(p.ToString("0.00", CultureInfo.InvariantCulture)) : "not advertised")}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{(n.Forecast is null ? "none" : E(n.Forecast))}</td><td data-field=\"log\">{log}</td></tr>");
        }

        return html.Append("</tbody></table></section>").ToString();
    }

    private static string Jobs(OverviewModel m)
    {
        var html = new StringBuilder("<section id=\"ov-jobs\" aria-labelledby=\"h-jobs\"><h2 id=\"h-jobs\">Jobs by state</h2>");
        if (m.JobStates.Count == 0)
        {
            return html.Append("<p>No jobs originated here.</p></section>").ToString();
        }

        html.Append(CultureInfo.InvariantCulture, $"<table><caption>Jobs originated in {E(m.Local)}{(m.JobsTruncated ? $", the first {m.JobsTotal} only" : "")}</caption><thead><tr><th scope=\"col\">State</th><th scope=\"col\">Jobs</th></tr></thead><tbody>");
        foreach (var (state, count) in m.JobStates)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr data-state=\"{E(state)}\"><th scope=\"row\">{E(state)}</th><td>{count}</td></tr>");
        }

        return html.Append("</tbody></table></section>").ToString();
    }

    private static string Flows(OverviewModel m)
    {
        var html = new StringBuilder("<section id=\"ov-flows\" aria-labelledby=\"h-flows\"><h2 id=\"h-flows\">Where jobs run</h2>");
        if (m.Flows.Count == 0)
        {
            return html.Append("<p>No job has been placed yet.</p></section>").ToString();
        }

        html.Append("<table><caption>Jobs by origin and executing nation, per state</caption><thead><tr><th scope=\"col\">Origin → executing nation</th>");
        foreach (var state in OverviewBuilder.FlowStates)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\">{E(state)}</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var f in m.Flows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr data-flow=\"{E(f.Origin)}-{E(f.Target)}\"><th scope=\"row\">{E(f.Origin)} → {E(f.Target)}</th>");
            foreach (var state in OverviewBuilder.FlowStates)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td data-state=\"{E(state)}\">{f.Counts.GetValueOrDefault(state)}</td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</tbody></table></section>").ToString();
    }

    private static string Pending(OverviewModel m)
    {
        var html = new StringBuilder("<section id=\"ov-pending\" aria-labelledby=\"h-pending\"><h2 id=\"h-pending\">Pending jobs</h2>");
        if (m.Pending.Count == 0)
        {
            return html.Append("<p>No job is waiting for a place.</p></section>").ToString();
        }

        html.Append(CultureInfo.InvariantCulture, $"<table><caption>Jobs no nation holds yet, oldest first ({m.Pending.Count} of {m.PendingTotal})</caption><thead><tr><th scope=\"col\">Job</th><th scope=\"col\">State</th><th scope=\"col\">Why</th><th scope=\"col\">Since</th></tr></thead><tbody>");
        foreach (var p in m.Pending)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{E(p.Job)}</th><td>{E(p.State)}</td><td>{E(p.Reason)}</td><td>{E(Time(p.Since))}</td></tr>");
        }

        return html.Append("</tbody></table></section>").ToString();
    }

    private static string Refusals(OverviewModel m)
    {
        var html = new StringBuilder("<section id=\"ov-refusals\" aria-labelledby=\"h-refusals\"><h2 id=\"h-refusals\">Recent refusals</h2>");
        if (m.Refusals.Count == 0)
        {
            return html.Append("<p>No refusal in the recent transparency log.</p></section>").ToString();
        }

        html.Append("<table><caption>Refusals recorded in this nation's transparency log, newest first</caption><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Rule</th><th scope=\"col\">Job</th><th scope=\"col\">Peer</th><th scope=\"col\">Detail</th></tr></thead><tbody>");
        foreach (var r in m.Refusals)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{E(Time(r.Time))}</th><td>{E(r.Rule)}</td><td>{E(r.Job ?? "")}</td><td>{E(r.Peer ?? "")}</td><td>{E(r.Detail)}</td></tr>");
        }

        return html.Append("</tbody></table></section>").ToString();
    }

    private static string Silos(OverviewModel m)
    {
        var html = new StringBuilder($"<section id=\"ov-silos\" aria-labelledby=\"h-silos\"><h2 id=\"h-silos\">Silos of {E(m.Local)}</h2>");
        if (m.Silos.Count == 0)
        {
            return html.Append("<p>Orleans' membership lists no silo.</p></section>").ToString();
        }

        html.Append("<table><caption>This nation's Orleans cluster (each silo's dashboard shows the whole cluster)</caption><thead><tr><th scope=\"col\">Silo</th><th scope=\"col\">Status</th><th scope=\"col\">Host</th><th scope=\"col\">Started</th><th scope=\"col\">Dashboard</th></tr></thead><tbody>");
        foreach (var s in m.Silos)
        {
            var link = s.IsThisSilo ? "<a href=\"/dashboard/\">Orleans dashboard (this silo)</a>" : "<a href=\"/dashboard/\">Orleans dashboard (through this silo)</a>";
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{E(s.Name)} <small>{E(s.Address)}</small></th><td>{E(s.Status)}</td><td>{E(s.Host)}</td><td>{E(Time(s.StartedAt))}</td><td>{link}</td></tr>");
        }

        return html.Append("</tbody></table></section>").ToString();
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Css(string health) => health switch
    {
        "reachable" or "this nation" => "ok",
        "unreachable" => "bad",
        _ => "unknown",
    };

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
