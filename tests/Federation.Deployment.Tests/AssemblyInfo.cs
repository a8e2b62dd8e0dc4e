// The tests start silos and run external tools (kubectl, systemd-analyze, dotnet publish): one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
