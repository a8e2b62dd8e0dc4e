using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Jobs;
using Federation.Grains.Jobs;
using Microsoft.OpenApi;

namespace Federation.Silo.Api.OpenApi;

/// <summary>The query parameters of the list and search endpoints, as <see cref="QueryParameters"/> parses them.</summary>
public static class QueryParameterDocs
{
    /// <summary>Page size.</summary>
    public static readonly QueryParameter Limit = new("limit", JsonSchemaType.Integer, "Page size, 1 to 500.")
    {
        Minimum = "1",
        Maximum = "500",
        Default = "50",
    };

    /// <summary>Keyset paging cursor.</summary>
    public static readonly QueryParameter After = Text("after", "Keyset paging: the nextAfter of the previous page.");

    /// <summary>Include withdrawn entries.</summary>
    public static readonly QueryParameter IncludeWithdrawn = new("includeWithdrawn", JsonSchemaType.Boolean, "Include withdrawn entries (true or false).")
    {
        Default = "false",
    };

    /// <summary>The dataset filters: text, tag, licence, includeWithdrawn, after, limit.</summary>
    public static readonly QueryParameter[] Datasets =
    [
        Text("text", "Words to find in the id, title or description."),
        Text("tag", "Only datasets with this tag."),
        Text("licence", "Only datasets under this SPDX licence expression."),
        IncludeWithdrawn,
        After,
        Limit,
    ];

    /// <summary>The model filters: text, licence, name, includeWithdrawn, after, limit.</summary>
    public static readonly QueryParameter[] Models =
    [
        Text("text", "Words to find in the name or description."),
        Text("licence", "Only models under this SPDX licence expression."),
        Text("name", "Only versions of the model with this name."),
        IncludeWithdrawn,
        After,
        Limit,
    ];

    /// <summary>The public dataset filters a peer may use: text, tag, licence, after, limit.</summary>
    public static readonly QueryParameter[] PublicDatasets = [.. Datasets.Where(p => p != IncludeWithdrawn)];

    /// <summary>The public model filters a peer may use: text, licence, name, after, limit.</summary>
    public static readonly QueryParameter[] PublicModels = [.. Models.Where(p => p != IncludeWithdrawn)];

    /// <summary>The node filters: text, accelerator, state, after, limit.</summary>
    public static readonly QueryParameter[] Nodes =
    [
        Text("text", "Words to find in the node's id or description."),
        Text("accelerator", "Only nodes with this accelerator slug, such as h100-sxm."),
        Text("state", "Only nodes in this state.") with { Allowed = [.. Enum.GetNames<NodeState>().Select(n => n.ToLowerInvariant())] },
        After,
        Limit,
    ];

    /// <summary>The job filters: state, owner, nation, after, limit.</summary>
    public static readonly QueryParameter[] Jobs =
    [
        Text("state", "Only jobs in this state.") with { Allowed = [.. Enum.GetValues<JobState>().Select(JobEvents.Name)] },
        Text("owner", "Only jobs of this owner (user id)."),
        Text("nation", "Only jobs placed in this nation.") with { Pattern = TypedIdSchemas.NationCodePattern, MaxLength = null },
        After,
        Limit,
    ];

    /// <summary>The federated search filters of datasets: text, tag, limit.</summary>
    public static readonly QueryParameter[] FederatedDatasets =
    [
        Text("text", "Words to find in each nation's public datasets."),
        Text("tag", "Only datasets with this tag."),
        Limit,
    ];

    /// <summary>The federated search filters of models: text, name, limit.</summary>
    public static readonly QueryParameter[] FederatedModels =
    [
        Text("text", "Words to find in each nation's models."),
        Text("name", "Only versions of the model with this name."),
        Limit,
    ];

    /// <summary>Validation only: the registration answers 200 with the parsed spec and stores nothing.</summary>
    public static readonly QueryParameter DryRun = new("dryRun", JsonSchemaType.Boolean, "true: validate the body as a real request would and answer 200 with the parsed spec, storing nothing.")
    {
        Default = "false",
    };

    /// <summary>The last lines of a log.</summary>
    public static readonly QueryParameter Tail = new("tail", JsonSchemaType.Integer, "Only the last N lines of the log.")
    {
        Minimum = "1",
        Maximum = Federation.Silo.Jobs.Outputs.JobFiles.MaxTail.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>A trimmed text filter of at most 200 characters; empty means absent.</summary>
    public static QueryParameter Text(string name, string description) =>
        new(name, JsonSchemaType.String, description) { MaxLength = 200 };
}
