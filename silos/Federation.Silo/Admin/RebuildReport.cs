namespace Federation.Silo.Admin;

/// <summary>How many entries a rebuild re-projected.</summary>
public sealed record RebuildReport(int Datasets, int Nodes, int Models, int Jobs);
