using Federation.Execution.Slurm;

namespace Federation.Execution.Tests.Slurm;

/// <summary>
/// The parsers on output captured from the local clusters (slurm-wlm 22.05.8, infra/slurm/slurm-up.sh);
/// lines marked "edited" are real lines with one field changed to cover a case the clusters do not show.
/// </summary>
public sealed class SlurmOutputTests
{
    // squeue --noheader --all --states=all --Format='JobID:|,State:|,Reason:|,exit_code:|,Name:'
    private const string Squeue = """
        1|CANCELLED|None|15|cap-hold
        4|COMPLETED|None|0|cap-zero
        7|COMPLETED|None|0|fed-job-0123456789abcdef-with a|pipe and spaces
        3|FAILED|NonZeroExitCode|768|cap-three
        5|FAILED|JobLaunchFailure|9|cap-sig
        9|PENDING|Resources|0|cap-wait
        8|RUNNING|None|0|cap-hold

        """;

    // scontrol show job -o 9 (pending behind a job holding the GPUs)
    private const string PendingJob =
        "JobId=9 JobName=cap-wait UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901751 Nice=0 Account=(null) QOS=(null) JobState=PENDING Reason=Resources Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:00 TimeLimit=00:05:00 TimeMin=N/A SubmitTime=2026-11-29T00:00:48 EligibleTime=2026-11-29T00:00:48 AccrueTime=2026-11-29T00:00:48 StartTime=Unknown EndTime=Unknown Deadline=N/A SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-11-29T00:00:48 Scheduler=Main Partition=gpu AllocNode:Sid=localhost:11671 ReqNodeList=(null) ExcNodeList=(null) NodeList= NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,mem=4000M,node=1,billing=1 Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0 Features=(null) DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=/tmp/sx/hold.sh WorkDir=/tmp/sx StdErr=/tmp/sx/slurm-9.out StdIn=/dev/null StdOut=/tmp/sx/slurm-9.out Power= TresPerNode=gres:gpu:a100:2 \n";

    // scontrol show job -o 3 (the script ran 'exit 3')
    private const string FailedJob =
        "JobId=3 JobName=cap-three UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901757 Nice=0 Account=(null) QOS=(null) JobState=FAILED Reason=NonZeroExitCode Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=3:0 RunTime=00:00:00 TimeLimit=00:05:00 TimeMin=N/A SubmitTime=2026-11-28T23:57:19 EligibleTime=2026-11-28T23:57:19 AccrueTime=2026-11-28T23:57:19 StartTime=2026-11-28T23:58:21 EndTime=2026-11-28T23:58:21 Deadline=N/A SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-11-28T23:58:21 Scheduler=Main Partition=gpu AllocNode:Sid=localhost:11671 ReqNodeList=(null) ExcNodeList=(null) NodeList=localhost BatchHost=localhost NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,node=1,billing=1 Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0 Features=(null) DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=/tmp/sx/three.sh WorkDir=/tmp/sx StdErr=/tmp/sx/slurm-3.out StdIn=/dev/null StdOut=/tmp/sx/slurm-3.out Power= \n";

    // scontrol show job -o 8 (cancelled while running)
    private const string CancelledJob =
        "JobId=8 JobName=cap-hold UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901752 Nice=0 Account=(null) QOS=(null) JobState=CANCELLED Reason=None Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:15 RunTime=00:00:01 TimeLimit=00:05:00 TimeMin=N/A SubmitTime=2026-11-29T00:00:48 EligibleTime=2026-11-29T00:00:48 AccrueTime=2026-11-29T00:00:48 StartTime=2026-11-29T00:00:48 EndTime=2026-11-29T00:00:49 Deadline=N/A SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-11-29T00:00:48 Scheduler=Main Partition=gpu AllocNode:Sid=localhost:11671 ReqNodeList=(null) ExcNodeList=(null) NodeList=localhost BatchHost=localhost NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,node=1,billing=1 Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0 Features=(null) DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=/tmp/sx/hold.sh WorkDir=/tmp/sx StdErr=/tmp/sx/slurm-8.out StdIn=/dev/null StdOut=/tmp/sx/slurm-8.out Power= TresPerNode=gres:gpu:a100:1 \n";

    // scontrol show job -o 7 (a name with spaces and a pipe, finished)
    private const string SpacedNameJob =
        "JobId=7 JobName=fed-job-0123456789abcdef-with a|pipe and spaces UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901753 Nice=0 Account=(null) QOS=(null) JobState=COMPLETED Reason=None Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:00 TimeLimit=00:01:00 TimeMin=N/A Partition=gpu Command=/tmp/sx/zero.sh WorkDir=/tmp/sx Power= \n";

    // scontrol show job -o 1 (--time=1, the script sleeps: ended 67 s after it started)
    private const string TimedOutJob =
        "JobId=1 JobName=cap-timeout UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901759 Nice=0 Account=(null) QOS=(null) JobState=TIMEOUT Reason=TimeLimit Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=143:0 RunTime=00:01:07 TimeLimit=00:01:00 TimeMin=N/A SubmitTime=2026-11-29T00:09:01 EligibleTime=2026-11-29T00:09:01 AccrueTime=2026-11-29T00:09:01 StartTime=2026-11-29T00:09:02 EndTime=2026-11-29T00:10:09 Deadline=N/A SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-11-29T00:09:02 Scheduler=Main Partition=gpu AllocNode:Sid=localhost:11671 ReqNodeList=(null) ExcNodeList=(null) NodeList=localhost BatchHost=localhost NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,node=1,billing=1 Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0 Features=(null) DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=/tmp/sx/hold.sh WorkDir=/tmp/sx StdErr=/tmp/sx/slurm-1.out StdIn=/dev/null StdOut=/tmp/sx/slurm-1.out Power= \n";

    // scontrol show node -o -d with one of two GPUs held
    private const string NodeOneUsed =
        "NodeName=localhost Arch=x86_64 CoresPerSocket=1  CPUAlloc=1 CPUEfctv=8 CPUTot=8 CPULoad=1.93 AvailableFeatures=(null) ActiveFeatures=(null) Gres=gpu:a100:2 GresDrain=N/A GresUsed=gpu:a100:1(IDX:0) NodeAddr=localhost NodeHostName=localhost Version=22.05.8 OS=Linux 6.18.44-fc-v595 #1 SMP PREEMPT_DYNAMIC @0  RealMemory=4000 AllocMem=0 FreeMem=22839 Sockets=8 Boards=1 State=MIXED ThreadsPerCore=1 TmpDisk=0 Weight=1 Owner=N/A MCS_label=N/A Partitions=gpu  BootTime=2026-11-28T18:36:21 SlurmdStartTime=2026-11-28T23:57:05 LastBusyTime=2026-11-28T23:58:38 CfgTRES=cpu=8,mem=4000M,billing=8 AllocTRES=cpu=1 CapWatts=n/a CurrentWatts=0 AveWatts=0 ExtSensorsJoules=n/s ExtSensorsWatts=0 ExtSensorsTemp=n/s\n";

    // scontrol show node -o -d, idle
    private const string NodeIdle =
        "NodeName=localhost Arch=x86_64 CoresPerSocket=1  CPUAlloc=0 CPUEfctv=8 CPUTot=8 CPULoad=2.23 AvailableFeatures=(null) ActiveFeatures=(null) Gres=gpu:a100:2 GresDrain=N/A GresUsed=gpu:a100:0(IDX:N/A) NodeAddr=localhost NodeHostName=localhost Version=22.05.8 OS=Linux 6.18.44-fc-v595 #1 SMP PREEMPT_DYNAMIC @0  RealMemory=4000 AllocMem=0 FreeMem=22747 Sockets=8 Boards=1 State=IDLE ThreadsPerCore=1 TmpDisk=0 Weight=1 Owner=N/A MCS_label=N/A Partitions=gpu  BootTime=2026-11-28T18:36:21 SlurmdStartTime=2026-11-28T23:57:05 LastBusyTime=2026-11-28T23:58:38 CfgTRES=cpu=8,mem=4000M,billing=8 AllocTRES= CapWatts=n/a CurrentWatts=0 AveWatts=0 ExtSensorsJoules=n/s ExtSensorsWatts=0 ExtSensorsTemp=n/s\n";

    // Three nodes, edited from the idle line: a second node with sockets in Gres and two types,
    // in partitions gpu and big; a third one drained (not usable) with a reason holding spaces.
    private const string ThreeNodes =
        "NodeName=n1 Arch=x86_64 CoresPerSocket=1  CPUAlloc=0 Gres=gpu:h100:4(S:0) GresDrain=N/A GresUsed=gpu:h100:2(IDX:0-1) NodeAddr=n1 OS=Linux 6.1 #1 SMP @0  State=MIXED ThreadsPerCore=1 Partitions=gpu  BootTime=2026-11-28T18:36:21\n" +
        "NodeName=n2 Arch=x86_64 CoresPerSocket=1  CPUAlloc=0 Gres=gpu:h100:4(S:0-1),gpu:a100:2(S:0) GresDrain=N/A GresUsed=gpu:h100:3(IDX:0,2-3),gpu:a100:0(IDX:N/A) NodeAddr=n2 OS=Linux 6.1 #1 SMP @0  State=ALLOCATED ThreadsPerCore=1 Partitions=gpu,big  BootTime=2026-11-28T18:36:21\n" +
        "NodeName=n3 Arch=x86_64 CoresPerSocket=1  CPUAlloc=0 Gres=gpu:h100:8 GresDrain=N/A GresUsed=gpu:h100:0(IDX:N/A) NodeAddr=n3 OS=Linux 6.1 #1 SMP @0  State=IDLE+DRAIN ThreadsPerCore=1 Partitions=gpu,big  BootTime=2026-11-28T18:36:21 Reason=Low RealMemory [root@2026-11-28T23:57:05]\n";

    [Theory]
    [InlineData("12\n", "12")]
    [InlineData("12;lab\n", "12")]
    [InlineData("sbatch: warning: something\n34\n", "34")]
    [InlineData("", null)]
    [InlineData("Submitted batch job 12\n", null)]
    public void ParseSubmittedId_ParsableOutput_IsTheId(string stdout, string? expected) =>
        Assert.Equal(expected, SlurmOutput.ParseSubmittedId(stdout));

    [Theory]
    [InlineData("12", true)]
    [InlineData("12_3", true)]
    [InlineData("12+1", true)]
    [InlineData("-12", false)]
    [InlineData("12_", false)]
    [InlineData("12_3_4", false)]
    [InlineData("abc", false)]
    [InlineData("", false)]
    public void IsJobId_Forms_AreToldApart(string id, bool expected) => Assert.Equal(expected, SlurmOutput.IsJobId(id));

    [Fact]
    public void ParseSqueue_CapturedOutput_ReadsStatesReasonsAndExitStatus()
    {
        var jobs = SlurmOutput.ParseSqueue(Squeue).ToDictionary(j => j.Id);

        Assert.Equal(7, jobs.Count);
        Assert.Equal(new SlurmJob("1", "cap-hold", SlurmJobState.Cancelled, "None", 0, 15), jobs["1"]);
        Assert.Equal(new SlurmJob("4", "cap-zero", SlurmJobState.Completed, "None", 0, null), jobs["4"]);
        Assert.Equal(new SlurmJob("3", "cap-three", SlurmJobState.Failed, "NonZeroExitCode", 3, null), jobs["3"]);
        Assert.Equal(new SlurmJob("5", "cap-sig", SlurmJobState.Failed, "JobLaunchFailure", 0, 9), jobs["5"]);
        Assert.Equal(new SlurmJob("9", "cap-wait", SlurmJobState.Pending, "Resources", null, null), jobs["9"]);
        Assert.Equal(new SlurmJob("8", "cap-hold", SlurmJobState.Running, "None", null, null), jobs["8"]);
        Assert.Equal("fed-job-0123456789abcdef-with a|pipe and spaces", jobs["7"].Name);
    }

    [Fact]
    public void ParseScontrolJob_Pending_HasReasonAndNoExitCode() =>
        Assert.Equal(new SlurmJob("9", "cap-wait", SlurmJobState.Pending, "Resources", null, null), SlurmOutput.ParseScontrolJob(PendingJob, "9"));

    [Fact]
    public void ParseScontrolJob_ExitThree_IsFailedWithExitCodeThree() =>
        Assert.Equal(new SlurmJob("3", "cap-three", SlurmJobState.Failed, "NonZeroExitCode", 3, null), SlurmOutput.ParseScontrolJob(FailedJob, "3"));

    [Fact]
    public void ParseScontrolJob_Cancelled_HasSignal15() =>
        Assert.Equal(new SlurmJob("8", "cap-hold", SlurmJobState.Cancelled, "None", 0, 15), SlurmOutput.ParseScontrolJob(CancelledJob, "8"));

    [Fact]
    public void ParseScontrolJob_TimedOut_IsTimeoutWithTheShellsTermStatus() =>
        Assert.Equal(new SlurmJob("1", "cap-timeout", SlurmJobState.Timeout, "TimeLimit", 143, null), SlurmOutput.ParseScontrolJob(TimedOutJob, "1"));

    [Fact]
    public void ParseSqueue_TimedOut_DecodesTheRawStatus() =>
        Assert.Equal([new SlurmJob("1", "cap-timeout", SlurmJobState.Timeout, "TimeLimit", 143, null)], SlurmOutput.ParseSqueue("1|TIMEOUT|TimeLimit|36608|cap-timeout\n"));

    [Fact]
    public void ParseScontrolJob_NameWithSpaces_IsKeptWhole()
    {
        var job = SlurmOutput.ParseScontrolJob(SpacedNameJob, "7");
        Assert.Equal("fed-job-0123456789abcdef-with a|pipe and spaces", job?.Name);
        Assert.Equal((SlurmJobState.Completed, 0), (job?.State, job?.ExitCode));
    }

    [Fact]
    public void ParseScontrolJob_NoOutput_IsNull() => Assert.Null(SlurmOutput.ParseScontrolJob("\n", "3"));

    [Theory]
    [InlineData("0:0", 0, 0)]
    [InlineData("3:0", 3, 0)]
    [InlineData("0:15", 0, 15)]
    [InlineData("1:9", 1, 9)]
    public void ParseExitCode_StatusColonSignal_IsSplit(string value, int code, int signal) =>
        Assert.Equal(((int?)code, (int?)signal), SlurmOutput.ParseExitCode(value));

    [Fact]
    public void ParseNodeGres_OneOfTwoHeld_CountsTotalAndUsed() =>
        Assert.Equal([new SlurmGres("a100", 2, 1)], SlurmOutput.ParseNodeGres(NodeOneUsed, null));

    [Fact]
    public void ParseNodeGres_IdleWithIdxNotApplicable_UsesNone() =>
        Assert.Equal([new SlurmGres("a100", 2, 0)], SlurmOutput.ParseNodeGres(NodeIdle, "gpu"));

    [Fact]
    public void ParseNodeGres_OtherPartition_IsEmpty() => Assert.Empty(SlurmOutput.ParseNodeGres(NodeIdle, "cpu"));

    [Fact]
    public void ParseNodeGres_SeveralNodes_SumsUsableOnesPerType()
    {
        Assert.Equal([new SlurmGres("a100", 2, 0), new SlurmGres("h100", 8, 5)], SlurmOutput.ParseNodeGres(ThreeNodes, null));
        Assert.Equal([new SlurmGres("a100", 2, 0), new SlurmGres("h100", 4, 3)], SlurmOutput.ParseNodeGres(ThreeNodes, "big"));
    }

    [Theory]
    [InlineData("gpu:h100:4(S:0)", "h100", 4)]
    [InlineData("gpu:h100:2(IDX:0-1)", "h100", 2)]
    [InlineData("gpu:h100:0(IDX:N/A)", "h100", 0)]
    [InlineData("gpu:3", "", 3)]
    [InlineData("gpu:(null):1(IDX:0)", "", 1)]
    public void ParseGpuList_OneEntry_IsTypeAndCount(string value, string type, int count) =>
        Assert.Equal([(type, count)], SlurmOutput.ParseGpuList(value));

    [Fact]
    public void ParseGpuList_OtherGresAndNull_AreSkipped()
    {
        Assert.Empty(SlurmOutput.ParseGpuList("(null)"));
        Assert.Equal([("a100", 1)], SlurmOutput.ParseGpuList("mps:100(S:0),gpu:a100:1(IDX:0,3)"));
    }

    [Theory]
    [InlineData("IDLE", true)]
    [InlineData("MIXED", true)]
    [InlineData("ALLOCATED", true)]
    [InlineData("IDLE+DRAIN", false)]
    [InlineData("MIXED+DRAIN", false)]
    [InlineData("DOWN", false)]
    [InlineData("DOWN+NOT_RESPONDING", false)]
    [InlineData("IDLE*", false)]
    [InlineData("IDLE+POWERED_DOWN", false)]
    [InlineData("", false)]
    public void IsUsable_NodeStates_AreToldApart(string state, bool expected) => Assert.Equal(expected, SlurmOutput.IsUsable(state));

    [Theory]
    [InlineData("PENDING", SlurmJobState.Pending)]
    [InlineData("CONFIGURING", SlurmJobState.Pending)]
    [InlineData("RUNNING", SlurmJobState.Running)]
    [InlineData("COMPLETING", SlurmJobState.Completing)]
    [InlineData("COMPLETED", SlurmJobState.Completed)]
    [InlineData("FAILED", SlurmJobState.Failed)]
    [InlineData("CANCELLED", SlurmJobState.Cancelled)]
    [InlineData("TIMEOUT", SlurmJobState.Timeout)]
    [InlineData("NODE_FAIL", SlurmJobState.NodeFail)]
    [InlineData("OUT_OF_MEMORY", SlurmJobState.OutOfMemory)]
    [InlineData("PREEMPTED", SlurmJobState.Preempted)]
    [InlineData("SUSPENDED", SlurmJobState.Other)]
    [InlineData("REQUEUED", SlurmJobState.Other)]
    [InlineData("RUNNING+SIGNALING", SlurmJobState.Running)]
    public void Parse_SlurmStateNames_MapToStates(string name, SlurmJobState expected) => Assert.Equal(expected, SlurmJobStates.Parse(name));

    [Fact]
    public void IsFinished_TheEndStates_AreFinished()
    {
        var finished = Enum.GetValues<SlurmJobState>().Where(s => s.IsFinished()).ToHashSet();
        Assert.Equal(
            [SlurmJobState.Completed, SlurmJobState.Failed, SlurmJobState.Cancelled, SlurmJobState.Timeout, SlurmJobState.NodeFail, SlurmJobState.OutOfMemory, SlurmJobState.Preempted],
            finished.Order());
    }

    [Fact]
    public void KeyValues_ValueWithSpaces_RunsToTheNextKey()
    {
        var pairs = SlurmOutput.KeyValues(NodeIdle.TrimEnd());
        Assert.Equal("Linux 6.18.44-fc-v595 #1 SMP PREEMPT_DYNAMIC @0", pairs["OS"]);
        Assert.Equal("gpu:a100:0(IDX:N/A)", pairs["GresUsed"]);
        Assert.Equal("cpu=8,mem=4000M,billing=8", pairs["CfgTRES"]);
        Assert.Equal("", pairs["AllocTRES"]);
    }
}
