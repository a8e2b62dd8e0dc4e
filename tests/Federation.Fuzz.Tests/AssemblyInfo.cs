// The suite launches real nations as processes: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// The launcher starts nations as Unix processes and RSS is read from /proc: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
