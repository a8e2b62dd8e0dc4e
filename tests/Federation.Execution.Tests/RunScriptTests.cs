using System.Collections.Immutable;
using System.Diagnostics;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution.Workloads;

namespace Federation.Execution.Tests;

public sealed class RunScriptTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("it's")]
    [InlineData("$(id) `id` \"x\" ; rm -rf / \\ '")]
    public async Task Quote_KeepsAnyValueLiteralForTheShell(string value)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"printf '%s' {RunScript.Quote(value)}");
        using var shell = Process.Start(start)!;
        var printed = await shell.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await shell.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(value, printed);
    }

    [Fact]
    public void Command_ClearsTheEnvironment_AndPassesArgumentsAsNameValue()
    {
        var request = Request(("epochs", "3"), ("tag", "a'b"));
        var command = RunScript.Command(request);
        Assert.StartsWith("env -i PATH=/usr/local/bin:/usr/bin:/bin", command, StringComparison.Ordinal);
        Assert.Contains("FEDERATION_JOB='DE/train-1'", command, StringComparison.Ordinal);
        Assert.Contains("FEDERATION_ACCELERATORS='2 x h100-sxm'", command, StringComparison.Ordinal);
        Assert.EndsWith("'/jobs/DE/train-1/e3/workload' '--epochs=3' '--tag=a'\\''b'", command, StringComparison.Ordinal);
    }

    [Fact]
    public void TheProcessRunner_RecordsItsPid_EnforcesTheWalltime_SwitchesAccount_AndWritesTheExitCodeLast()
    {
        var runner = RunScript.ProcessRunner(Request(), new UnixAccount("nobody", 65534, 65534));
        var lines = runner.Split('\n');
        Assert.Contains("echo $$ > pid.tmp && mv pid.tmp pid", lines);
        Assert.Contains(lines, l => l.StartsWith("timeout --kill-after=10 5400 setpriv --reuid=65534 --regid=65534 --clear-groups -- env -i", StringComparison.Ordinal));
        Assert.Equal("echo $code > exit.tmp && mv exit.tmp exit", lines.Last(l => l.Length > 0));
    }

    [Theory]
    [InlineData(0, RunPhase.Succeeded)]
    [InlineData(3, RunPhase.Failed)]
    [InlineData(124, RunPhase.TimedOut)]
    public void ExitCodes_MapToPhases(int exitCode, RunPhase phase)
    {
        var status = RunStatus.Exited(exitCode, 600);
        Assert.Equal(phase, status.Phase);
        Assert.Equal(exitCode, status.ExitCode);
        Assert.True(status.Ended);
    }

    [Fact]
    public void TheJobDirectory_IsDeterministicPerEpoch()
    {
        var directory = JobDirectory.For("/jobs", TypedId.Parse<JobRef>("DE/train-1"), 3);
        Assert.Equal("/jobs/DE/train-1/e3", directory.Path);
        Assert.Equal("/jobs/DE/train-1/e3/inputs/FR-cohort", directory.InputPath(TypedId.Parse<DatasetRef>("FR/cohort")));
    }

    private static RunRequest Request(params (string Name, string Value)[] arguments)
    {
        var spec = new JobSpec
        {
            Id = "train-1",
            Owner = new JobOwner("alice@example.org", null),
            Inputs = [],
            Purpose = new JobPurpose { Use = ResearchCategory.General },
            Accelerators = new AcceleratorRequest { Count = 2 },
            Work = new WorkEstimate { AcceleratorHours = 1, ReferenceAccelerator = TypedId.Parse<AcceleratorSlug>("h100-sxm") },
            Walltime = TimeSpan.FromMinutes(90),
            Workload = new WorkloadCall { Name = "train", Version = "1.0", Arguments = arguments.ToImmutableSortedDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal) },
        };
        return new RunRequest(
            TypedId.Parse<JobRef>("DE/train-1"),
            3,
            spec,
            new WorkloadDefinition { Name = "train", Version = "1.0", Path = "/opt/train.sh", Sha256 = new string('0', 64) },
            JobDirectory.For("/jobs", TypedId.Parse<JobRef>("DE/train-1"), 3),
            NodePool.DefaultAgent,
            TypedId.Parse<AcceleratorSlug>("h100-sxm"),
            []);
    }
}
