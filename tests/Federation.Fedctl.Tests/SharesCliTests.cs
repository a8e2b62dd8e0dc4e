using System.Text.Json.Nodes;

namespace Federation.Fedctl.Tests;

public sealed class SharesCliTests
{
    [Fact]
    public void Write_SharesView_PrintsNationsConsortiaAndTheStudentTier()
    {
        var view = JsonNode.Parse("""
            {"nation":"FR","at":"2026-12-05T10:00:00Z","halfLifeHours":168,"total":8,"free":2,
             "nations":[{"name":"DE","entitlement":0.3,"usage":120.5,"factor":0.612,"held":2,"borrowed":2},
                        {"name":"FR","entitlement":0.7,"usage":300,"factor":0.55,"held":4,"borrowed":0}],
             "consortia":[{"name":"climate","entitlement":0.375,"usage":50,"held":3,"borrowed":0},
                          {"name":"health","usage":10,"held":1,"borrowed":1}],
             "students":{"quota":2,"held":1,"usage":1.5,"maxWalltimeMinutes":60,"maxPerUser":2,"maxPerCourse":8,"courses":["ml-101"]}}
            """)!.AsObject();
        using var output = new StringWriter();

        ShareCommands.Write(view, output);

        var lines = output.ToString().Split(Environment.NewLine);
        Assert.Equal("FR: 8 accelerators, 2 free; usage halves every 168 h", lines[0]);
        Assert.Matches(@"^DE\s+30\.0%\s+120\.5\s+0\.612\s+2\s+2$", lines[2]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^climate\s+37\.5%\s+50\.0\s+3\s+0$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^health\s+-\s+10\.0\s+1\s+1$"));
        Assert.Contains("student tier: 1 of 2 guaranteed accelerators held, 1.5 acc-h used; walltime at most 60 min, 2 accelerators per student, 8 per course; courses: ml-101", lines);
    }
}
