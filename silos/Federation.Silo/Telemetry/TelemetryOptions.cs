namespace Federation.Silo.Telemetry;

/// <summary>
/// The silo's OpenTelemetry (section <c>Federation:Telemetry</c>; docs/telemetry.md): metrics are always
/// kept and served at <c>GET /metrics</c>; traces are recorded only when an exporter is configured.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Telemetry";

    /// <summary>An OTLP collector (http or https URL) that receives traces and metrics; unset: none.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>
    /// An absolute path of a file to which finished spans are appended, one JSON object per line
    /// (for tests and for nations without a collector); its directory must exist. Unset: none.
    /// </summary>
    public string? SpanFile { get; set; }

    /// <summary>Whether <c>GET /metrics</c> serves the Prometheus text format (default true).</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>True when spans are recorded (an OTLP endpoint or a span file is configured).</summary>
    public bool Tracing => OtlpEndpoint is not null || !string.IsNullOrWhiteSpace(SpanFile);
}
