using System.Text.Json.Nodes;

namespace Federation.Fedctl.Resources;

/// <summary>One entry of an input file and where it came from (for messages).</summary>
public sealed record InputEntry(JsonObject Body, string Where);
