using System.Runtime.Versioning;
using Federation.Execution.Slurm;
using Federation.Testing;

namespace Federation.Slurm.Tests;

/// <summary>
/// <see cref="SlurmCli"/> against the real local cluster <c>lab</c> (one node, <c>gpu:a100:2</c>),
/// started by <see cref="SlurmClusters"/>. The tests of this class run one after another; each
/// cancels the jobs it submitted when it ends, so that none holds the GPUs for the next.
/// Slurm runs on Linux only.
/// </summary>
[UnsupportedOSPlatform("windows")]
[Trait("Category", "EndToEnd")]
public sealed class SlurmCliTests : IAsyncLifetime
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(200);

    private readonly List<string> _submitted = [];
    private SlurmCli _slurm = null!;
    private string _directory = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var conf = await SlurmClusters.EnsureAsync("lab");
        _slurm = new SlurmCli(conf, TimeSpan.FromSeconds(30));

        // Jobs may run as 'nobody': their directory must be open to everyone.
        var root = Path.Combine(Path.GetTempPath(), "federation-slurm-tests");
        _directory = Path.Combine(root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        const UnixFileMode Open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(root, Open | UnixFileMode.StickyBit);
        File.SetUnixFileMode(_directory, Open);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _submitted)
        {
            await _slurm.CancelAsync(id, CancellationToken.None);
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A job of a nobody account may still be writing; the temporary directory is left.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    [Fact]
    public async Task Submit_ScriptExitsZero_IsCompletedWithExitCodeZero()
    {
        var (id, submission) = await SubmitAsync("echo hello-from-slurm\nexit 0");

        var job = await WaitFinishedAsync(id);

        Assert.Equal((SlurmJobState.Completed, 0, (int?)null), (job.State, job.ExitCode, job.Signal));
        Assert.Equal(submission.JobName, job.Name);
        Assert.Equal("hello-from-slurm", (await File.ReadAllTextAsync(submission.StdoutPath, Ct)).Trim());
    }

    [Fact]
    public async Task Submit_ScriptExitsThree_IsFailedWithExitCodeThree()
    {
        var (id, _) = await SubmitAsync("exit 3");

        var job = await WaitFinishedAsync(id);

        Assert.Equal((SlurmJobState.Failed, 3, "NonZeroExitCode"), (job.State, job.ExitCode, job.Reason));
    }

    [Fact]
    public async Task Submit_GpusHeldByAnotherJob_PendsOnResourcesUntilThatJobIsCancelled()
    {
        await Eventually.WaitAsync(
            () => _slurm.GresAsync(null, Ct), g => g.Count == 1 && g[0].Used == 0, s_deadline,
            "all of lab's GPUs to be free before the test (are jobs of an earlier run left? scancel them)", s_poll);

        var (holder, _) = await SubmitAsync("sleep 300", gres: "gpu:a100:2");
        await WaitStateAsync(holder, j => j.State == SlurmJobState.Running, "the holder of both GPUs to run");
        Assert.Equal([new SlurmGres("a100", 2, 2)], await _slurm.GresAsync(null, Ct));
        Assert.Equal([new SlurmGres("a100", 2, 2)], await _slurm.GresAsync("gpu", Ct));

        var (waiter, _) = await SubmitAsync("sleep 300", gres: "gpu:a100:2");
        await WaitStateAsync(waiter, j => j is { State: SlurmJobState.Pending, Reason: "Resources" }, "the second job to pend with reason Resources");

        await _slurm.CancelAsync(holder, Ct);
        var cancelled = await WaitFinishedAsync(holder);
        Assert.Equal((SlurmJobState.Cancelled, 15), (cancelled.State, cancelled.Signal));
        await WaitStateAsync(waiter, j => j.State == SlurmJobState.Running, "the second job to run once the holder was cancelled");
        Assert.Equal([new SlurmGres("a100", 2, 2)], await _slurm.GresAsync(null, Ct));

        await _slurm.CancelAsync(waiter, Ct);
        await WaitStateAsync(waiter, j => j.State == SlurmJobState.Cancelled, "the second job to end cancelled");
        await Eventually.WaitAsync(
            () => _slurm.GresAsync(null, Ct), g => g.Count == 1 && g[0].Used == 0, s_deadline, "the GPUs to be free again", s_poll);
    }

    [Fact]
    public async Task Submit_TwoWaitersWithNiceValues_TheLessNiceRunsFirstThoughSubmittedLater()
    {
        await Eventually.WaitAsync(
            () => _slurm.GresAsync(null, Ct), g => g.Count == 1 && g[0].Used == 0, s_deadline,
            "all of lab's GPUs to be free before the test (are jobs of an earlier run left? scancel them)", s_poll);

        var (holder, _) = await SubmitAsync("sleep 300", gres: "gpu:a100:2");
        await WaitStateAsync(holder, j => j.State == SlurmJobState.Running, "the holder of both GPUs to run");

        // The nice values a foreign run over its share and this nation's own run get (WaitingOrder.SlurmNice).
        var (worse, _) = await SubmitAsync("sleep 300", gres: "gpu:a100:2", nice: 1750);
        var (better, _) = await SubmitAsync("sleep 300", gres: "gpu:a100:2", nice: 120);

        await _slurm.CancelAsync(holder, Ct);
        await WaitStateAsync(better, j => j.State == SlurmJobState.Running, "the job submitted later with the lower nice value to run first");
        var waiting = await WaitStateAsync(worse, j => j.State == SlurmJobState.Pending, "the job with the higher nice value to keep waiting");
        Assert.True(waiting.Reason is "Priority" or "Resources", $"the waiting job pends for {waiting.Reason}");

        await _slurm.CancelAsync(better, Ct);
        await WaitStateAsync(worse, j => j.State == SlurmJobState.Running, "the job with the higher nice value to run once the GPUs are free again");
        await _slurm.CancelAsync(worse, Ct);
        await WaitStateAsync(worse, j => j.State.IsFinished(), "the last job to end cancelled");
    }

    [Fact]
    public async Task Submit_NegativeNice_IsRefusedBeforeSbatch()
    {
        var submission = new SlurmSubmission("fedtest-nice", "/bin/true", _directory, "out", "err", null, null, 1, null, Nice: -5);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _slurm.SubmitAsync(submission, Ct));
    }

    [Fact]
    public async Task FindByName_SubmittedJob_IsFoundByItsNameAndPrefix()
    {
        var (id, submission) = await SubmitAsync("sleep 300");

        var found = await _slurm.FindByNameAsync(submission.JobName, Ct);
        var listed = await _slurm.ListAsync(submission.JobName[..^4], Ct);
        var other = await _slurm.FindByNameAsync(submission.JobName + "-other", Ct);

        Assert.Equal([id], found.Select(j => j.Id));
        Assert.Equal(submission.JobName, found[0].Name);
        Assert.Contains(found[0].State, new[] { SlurmJobState.Pending, SlurmJobState.Running });
        Assert.Equal([id], listed.Select(j => j.Id));
        Assert.Empty(other);

        await _slurm.CancelAsync(id, Ct);
        var gone = await Eventually.WaitAsync(
            () => _slurm.FindByNameAsync(submission.JobName, Ct), j => j.Count == 1 && j[0].State.IsFinished(), s_deadline,
            "the cancelled job to be found by name, finished", s_poll);
        Assert.Equal(SlurmJobState.Cancelled, gone[0].State);
    }

    [Fact]
    public async Task Submit_RunAsNobody_RunsTheScriptAsNobody()
    {
        var nobody = File.ReadLines("/etc/passwd").Select(l => l.Split(':')).Single(f => f[0] == "nobody")[2];
        var uidFile = Path.Combine(_directory, "uid.txt");
        var (id, _) = await SubmitAsync($"id -u > '{uidFile}'", runAs: "nobody");

        var job = await WaitFinishedAsync(id);

        Assert.Equal(SlurmJobState.Completed, job.State);
        Assert.Equal(nobody, (await File.ReadAllTextAsync(uidFile, Ct)).Trim());
    }

    [Fact]
    public async Task Submit_UnknownAccount_ThrowsNamingTheAccount()
    {
        var e = await Assert.ThrowsAsync<SlurmException>(() => SubmitAsync("exit 0", runAs: "no-such-account-here"));
        Assert.Contains("no-such-account-here", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_MoreGpusThanTheClusterHas_ThrowsWithSbatchsError()
    {
        var e = await Assert.ThrowsAsync<SlurmException>(() => SubmitAsync("exit 0", gres: "gpu:a100:3"));

        Assert.Contains("sbatch", e.Command, StringComparison.Ordinal);
        Assert.Contains("--gres=gpu:a100:3", e.Message, StringComparison.Ordinal);
        Assert.Contains("configuration is not available", e.StandardError, StringComparison.Ordinal);
        Assert.Contains(e.StandardError.Trim(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAndCancel_UnknownOrFinishedJob_AreNullAndNoError()
    {
        Assert.Null(await _slurm.GetAsync("60000000", Ct));
        await _slurm.CancelAsync("60000000", Ct);

        var (id, _) = await SubmitAsync("exit 0");
        await WaitFinishedAsync(id);
        await _slurm.CancelAsync(id, Ct);
        Assert.Equal(SlurmJobState.Completed, (await _slurm.GetAsync(id, Ct))?.State);
    }

    [Fact]
    public async Task Watch_ManyExecutionsPollingAtOnce_SeeWhatScontrolSeesInOneOrTwoSlurmCommands()
    {
        var (ended, _) = await SubmitAsync("exit 0");
        var (failed, _) = await SubmitAsync("exit 3");
        var (waiting, _) = await SubmitAsync("sleep 300", gres: "gpu:a100:1");
        await WaitFinishedAsync(ended);
        await WaitFinishedAsync(failed);
        var watch = new SlurmJobWatch(_slurm);
        string[] ids = [ended, failed, waiting, "60000000"];

        // 40 executions poll at once, as their timers fire together.
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => watch.GetAsync(ids[i % ids.Length], Ct)));

        for (var i = 0; i < ids.Length; i++)
        {
            var single = await _slurm.GetAsync(ids[i], Ct);
            Assert.All(answers.Where((_, k) => k % ids.Length == i), a => Assert.Equal(
                (single?.Id, single?.Name, single?.State.IsFinished(), single?.ExitCode, single?.Signal),
                (a?.Id, a?.Name, a?.State.IsFinished(), a?.ExitCode, a?.Signal)));
        }

        Assert.Equal((SlurmJobState.Completed, 0), (answers[0]!.State, answers[0]!.ExitCode));
        Assert.Equal((SlurmJobState.Failed, 3), (answers[1]!.State, answers[1]!.ExitCode));
        Assert.Null(answers[3]);
        Assert.Equal(40, watch.Lookups);
        Assert.InRange(watch.Queries, 1, 2);
    }

    private async Task<(string Id, SlurmSubmission Submission)> SubmitAsync(string body, string? gres = null, string? runAs = null, int nice = 0)
    {
        var name = $"fedtest-{Guid.NewGuid():N}";
        var script = Path.Combine(_directory, $"{name}.sh");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\n{body}\n", Ct);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var submission = new SlurmSubmission(
            name, script, _directory, Path.Combine(_directory, $"{name}.out"), Path.Combine(_directory, $"{name}.err"),
            Partition: null, gres, TimeMinutes: 5, runAs, nice);
        var id = await _slurm.SubmitAsync(submission, Ct);
        _submitted.Add(id);
        return (id, submission);
    }

    private async Task<SlurmJob> WaitStateAsync(string id, Func<SlurmJob, bool> accept, string expectation) =>
        (await Eventually.WaitAsync(() => _slurm.GetAsync(id, Ct), j => j is not null && accept(j), s_deadline, $"job {id}: {expectation}", s_poll))!;

    private Task<SlurmJob> WaitFinishedAsync(string id) => WaitStateAsync(id, j => j.State.IsFinished(), "to finish");
}
