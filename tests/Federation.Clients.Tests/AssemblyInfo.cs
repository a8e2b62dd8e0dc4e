// The tests launch real nations as processes: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// The launcher starts nations as Unix processes: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
