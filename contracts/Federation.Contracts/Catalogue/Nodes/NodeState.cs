namespace Federation.Contracts.Catalogue.Nodes;

/// <summary>Whether a GPU node takes work.</summary>
public enum NodeState
{
    /// <summary>Heartbeating within its lease and accepting work.</summary>
    Up = 0,

    /// <summary>Finishing its allocations, taking no new work (operator request).</summary>
    Draining = 1,

    /// <summary>Missed its lease, or never reported.</summary>
    Down = 2,
}
