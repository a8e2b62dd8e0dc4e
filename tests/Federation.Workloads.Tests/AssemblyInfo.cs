// Serial: the per-round CPU figures are read from the process's CPU time, which parallel tests would inflate.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
