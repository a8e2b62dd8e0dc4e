using System.Text.Json;

namespace Federation.Silo.Jobs.Batch;

/// <summary>
/// <see cref="JobBatchRequest"/> as read: each entry kept as raw JSON, so that an entry with a
/// wrong type or an unknown member is reported as that entry's problem instead of failing the batch.
/// </summary>
internal sealed class JobBatchEnvelope
{
    /// <summary>The entries.</summary>
    public List<JsonElement>? Jobs { get; set; }
}
