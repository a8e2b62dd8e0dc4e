namespace Federation.Contracts.Routing;

/// <summary>The hard filters of the router; a candidate nation that fails one is excluded, with a reason.</summary>
public enum RoutingRule
{
    /// <summary>The nation is not reachable, or has never advertised.</summary>
    Reachability = 0,

    /// <summary>The nation speaks no protocol version this nation speaks.</summary>
    ProtocolVersion = 1,

    /// <summary>An input dataset may not be processed in the nation.</summary>
    Residency = 2,

    /// <summary>The job's purpose does not meet an input dataset's data-use conditions there (e.g. GS).</summary>
    DataUse = 3,

    /// <summary>The nation does not offer the job's workload.</summary>
    Workload = 4,

    /// <summary>No accelerator model of the nation fits the request (model, memory, count).</summary>
    AcceleratorFit = 5,

    /// <summary>On every fitting accelerator the run would exceed the job's walltime limit.</summary>
    Walltime = 6,

    /// <summary>On every fitting accelerator the expected wait plus run time ends after the deadline.</summary>
    Deadline = 7,

    /// <summary>An input's export policy forbids what a federated job would send across a border.</summary>
    Exports = 8,

    /// <summary>Too few contributing nations besides the aggregating one for secure aggregation (or the job's minimum).</summary>
    Contributors = 9,
}
