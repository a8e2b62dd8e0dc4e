// Tests start real silos: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// The tests start real nations, Slurm and workloads as Unix accounts: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
