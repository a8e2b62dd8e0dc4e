using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Federation.Fedctl.Tests;

public sealed class CoursesCliTests
{
    [Fact]
    public void Write_Courses_OneRowEachWithSupervisorTitleAndSource()
    {
        var list = JsonNode.Parse("""
            [{"id":"ml-101","supervisor":"uni:prof","title":null,"source":"configuration"},
             {"id":"nlp-201","supervisor":"uni:ada","title":"Language models","source":"api","registeredAt":"2026-12-05T10:00:00Z","registeredBy":"config:operator"}]
            """)!.AsArray();
        using var output = new StringWriter();

        CourseCommands.Write(list, output);

        var lines = output.ToString().Split(Environment.NewLine);
        Assert.Matches(@"^COURSE\s+SUPERVISOR\s+TITLE\s+SOURCE$", lines[0]);
        Assert.Matches(@"^ml-101\s+uni:prof\s+-\s+configuration$", lines[1]);
        Assert.Matches(@"^nlp-201\s+uni:ada\s+Language models\s+api$", lines[2]);
    }

    [Fact]
    public void Write_SharesWithBorrowedRunsAndCourses_PrintsBothTables()
    {
        var view = JsonNode.Parse("""
            {"nation":"FR","at":"2026-12-05T10:00:00Z","halfLifeHours":168,"total":8,"free":0,
             "nations":[{"name":"FR","entitlement":1,"usage":30,"factor":0.5,"held":8,"borrowed":4}],
             "consortia":[],
             "students":{"quota":0,"held":0,"usage":0,"maxWalltimeMinutes":120,"maxPerUser":2,"maxPerCourse":8,"courses":["ml-101"]},
             "borrowedRuns":[{"job":"FR/climate-2","epoch":1,"consortium":"climate","accelerators":4,"startedAt":"2026-12-05T09:10:00Z","endsBy":"2026-12-05T12:10:00Z","returnBy":"2026-12-05T10:02:00Z"},
                             {"job":"DE/train-7","epoch":2,"consortium":null,"accelerators":2,"startedAt":"2026-12-05T09:20:00Z","endsBy":"2026-12-05T11:20:00Z","returnBy":null}],
             "courses":[{"id":"ml-101","supervisor":"uni:prof","title":"Machine learning 101","source":"configuration"}]}
            """)!.AsObject();
        using var output = new StringWriter();

        ShareCommands.Write(view, output);

        var lines = output.ToString().Split(Environment.NewLine);
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^JOB\s+EPOCH\s+CONSORTIUM\s+ACCELERATORS\s+STARTED\s+WALLTIME ENDS\s+RECLAIMED, BACK BY$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^FR/climate-2\s+1\s+climate\s+4\s+2026-12-05 09:10:00Z\s+2026-12-05 12:10:00Z\s+2026-12-05 10:02:00Z$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^DE/train-7\s+2\s+-\s+2\s+2026-12-05 09:20:00Z\s+2026-12-05 11:20:00Z\s+-$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^ml-101\s+uni:prof\s+Machine learning 101\s+configuration$"));
    }
}
