namespace Federation.Fedctl.Output;

/// <summary>What <c>-o|--output</c> asks for.</summary>
public enum OutputFormat
{
    /// <summary>Aligned tables and detail views for people (the default).</summary>
    Table,

    /// <summary>Tables with more columns and nothing cut.</summary>
    Wide,

    /// <summary>The API's JSON, indented, for scripts.</summary>
    Json,
}
