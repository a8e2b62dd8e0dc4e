namespace Federation.Lifecycle.Executions;

/// <summary>The effect an execution is waiting for, started outside the grain's turn or inside it.</summary>
public enum ExecutionStep
{
    /// <summary>Nothing asked for is outstanding.</summary>
    None = 0,

    /// <summary>Accelerators are being allocated on node grains.</summary>
    Allocating = 1,

    /// <summary>The inputs are being staged.</summary>
    Staging = 2,

    /// <summary>The run is being started by its executor.</summary>
    Starting = 3,
}
