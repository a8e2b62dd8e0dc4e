using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Federation.Fedctl.Tests;

public sealed class SharesReportedCliTests
{
    private const string View = """
        {"nation":"FR","at":"2026-12-05T10:00:00Z","halfLifeHours":168,"total":8,"free":2,
         "nations":[{"name":"FR","entitlement":1,"usage":12.5,"factor":0.5,"held":0,"borrowed":0}],
         "consortia":[],
         "students":{"quota":0,"held":0,"usage":0,"maxWalltimeMinutes":60,"maxPerUser":2,"maxPerCourse":8,"courses":[]}
         REPORTED}
        """;

    [Fact]
    public void Write_WithPeersReports_PrintsATableOfWhatEachPeerReportedPerNation()
    {
        var view = JsonNode.Parse(View.Replace("REPORTED", """
            ,"reported":[{"reporter":"DE","nation":"FR","usage":2.5,"reportedUntil":"2026-12-05T09:59:00Z"},
                         {"reporter":"DE","nation":"SE","usage":0.5,"reportedUntil":"2026-12-05T09:59:00Z"}]
            """, StringComparison.Ordinal))!.AsObject();
        using var output = new StringWriter();

        ShareCommands.Write(view, output);

        var lines = output.ToString().Split(Environment.NewLine);
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^REPORTED BY\s+NATION\s+USAGE \(ACC-H\)\s+UNTIL$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^DE\s+FR\s+2\.5\s+2026-12-05T09:59:00Z$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^DE\s+SE\s+0\.5\s+2026-12-05T09:59:00Z$"));
    }

    [Fact]
    public void Write_WithoutReports_PrintsNoReportedTable()
    {
        using var output = new StringWriter();

        ShareCommands.Write(JsonNode.Parse(View.Replace("REPORTED", "", StringComparison.Ordinal))!.AsObject(), output);

        Assert.DoesNotContain("REPORTED BY", output.ToString(), StringComparison.Ordinal);
    }
}
