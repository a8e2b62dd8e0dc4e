namespace Federation.Deployment.Tests;

/// <summary>
/// infra/container: the image files keep their rules (multi-stage SDK to aspnet, non-root, a health
/// check, no secret baked in), and their build steps run outside a container (build-steps.sh: the same
/// restore and publish, then the published silo answers its health endpoints and fedctl reaches it).
/// </summary>
public sealed class ContainerBuildTests
{
    public static TheoryData<string> Files => ["silo.Containerfile", "fedctl.Containerfile"];

    [Theory]
    [MemberData(nameof(Files))]
    public void ImageFile_IsMultiStage_NonRoot_HealthChecked_AndHoldsNoSecret(string file)
    {
        var lines = File.ReadAllLines(RepositoryRoot.Combine("infra", "container", file));
        var from = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, from.Count);
        Assert.Contains("/dotnet/sdk:10.0 AS build", from[0], StringComparison.Ordinal);
        Assert.Contains("/dotnet/aspnet:10.0 AS runtime", from[1], StringComparison.Ordinal);
        Assert.Equal("USER 10001:10001", Assert.Single(lines, l => l.StartsWith("USER ", StringComparison.Ordinal)));
        Assert.Single(lines, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        Assert.Equal(2, lines.Count(l => l == "# BUILD-STEP restore" || l == "# BUILD-STEP publish"));
        Assert.DoesNotContain(lines, l => !l.StartsWith('#') && (l.Contains("Token", StringComparison.OrdinalIgnoreCase)
            || l.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase) || l.Contains("Password", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task BuildSteps_PublishBoth_AndThePublishedSiloAnswersItsHealthEndpoints()
    {
        var result = await ExternalCommand.RunAsync("bash", [RepositoryRoot.Combine("infra", "container", "build-steps.sh")], TimeSpan.FromMinutes(8),
            "bash is required");
        Assert.True(result.ExitCode == 0, $"infra/container/build-steps.sh failed (exit {result.ExitCode}): {result.Text}");
        Assert.Contains("container build steps: ok", result.Output, StringComparison.Ordinal);
    }
}
