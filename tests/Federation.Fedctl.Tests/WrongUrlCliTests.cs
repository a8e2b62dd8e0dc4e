namespace Federation.Fedctl.Tests;

/// <summary><c>--url</c> pointed at something that is not a nation's user API: one line saying what answered, exit 12.</summary>
public sealed class WrongUrlCliTests
{
    public static TheoryData<string, string> Servers() => new()
    {
        { "web", "answered GET /api/v1/nodes?limit=50 with HTTP 404 Not Found (text/html, server 'tiny-test', page 'Tiny test server')" },
        { "other-protocol", "answered something that is not HTTP" },
        { "closing", "closed the connection without an HTTP answer" },
    };

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Url_NotANation_OneLineSayingWhatAnswered_ExitsWrongEndpoint(string server, string expected)
    {
        await using var fake = server switch
        {
            "web" => FakeServers.TinyWebServer(),
            "other-protocol" => FakeServers.OtherProtocol(),
            _ => FakeServers.Closing(),
        };
        var environment = FedctlRun.CleanEnvironment();
        environment["FEDCTL_URL"] = fake.Url.ToString();
        foreach (var command in new[] { new[] { "nodes", "list" }, ["jobs", "show", "x", "-o", "json"], ["jobs", "logs", "x"] })
        {
            var (exit, output, error) = await FedctlRun.RunAsync(environment, command);
            Assert.True(exit == ExitCodes.WrongEndpoint, $"fedctl {string.Join(' ', command)} against the {server} server: exit {exit}, expected {ExitCodes.WrongEndpoint}: {output} {error}");
            WrongUrlAssertions.OneLine(error);
            if (command[0] == "nodes")
            {
                Assert.Contains(expected, error, StringComparison.Ordinal);
            }
        }
    }
}
