namespace Federation.Silo.Demo;

/// <summary>One simulated GPU node of a demo nation.</summary>
/// <param name="Id">Node id.</param>
/// <param name="Accelerator">Accelerator slug of the reference table.</param>
/// <param name="Count">How many accelerators.</param>
public sealed record DemoNode(string Id, string Accelerator, int Count);
