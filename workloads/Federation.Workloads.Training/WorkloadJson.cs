using System.Text.Json;
using System.Text.Json.Serialization;

namespace Federation.Workloads.Training;

/// <summary>The JSON settings of every file the workload reads or writes: camelCase, indented; strict reading refuses unknown fields.</summary>
public static class WorkloadJson
{
    /// <summary>For writing outputs.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>For reading inputs: unknown fields and trailing commas are errors, so a typo is named rather than ignored.</summary>
    public static JsonSerializerOptions StrictOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
    };
}
