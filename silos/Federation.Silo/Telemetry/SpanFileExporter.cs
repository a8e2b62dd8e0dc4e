using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenTelemetry;

namespace Federation.Silo.Telemetry;

/// <summary>
/// Appends finished spans to a file, one JSON object per line (<c>Federation:Telemetry:SpanFile</c>):
/// trace and span ids, parent, name, kind, source, start, duration, status and tags, with the
/// nation that recorded it, so that two nations' files can be joined by trace id without a collector.
/// The batch processor calls <see cref="Export"/> from one thread at a time.
/// </summary>
public sealed class SpanFileExporter : BaseExporter<Activity>
{
    private readonly string _nation;
    private readonly StreamWriter _writer;

    /// <summary>An exporter appending to <paramref name="path"/> (created when missing) for <paramref name="nation"/>.</summary>
    public SpanFileExporter(string path, string nation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _nation = nation;
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), new UTF8Encoding(false)) { AutoFlush = false };
    }

    /// <inheritdoc />
    public override ExportResult Export(in Batch<Activity> batch)
    {
        try
        {
            using var buffer = new MemoryStream();
            foreach (var activity in batch)
            {
                using (var json = new Utf8JsonWriter(buffer))
                {
                    Write(json, activity);
                }

                buffer.WriteByte((byte)'\n');
            }

            _writer.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            _writer.Flush();
            return ExportResult.Success;
        }
        catch (IOException)
        {
            return ExportResult.Failure;
        }
    }

    /// <inheritdoc />
    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        _writer.Flush();
        return true;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _writer.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Write(Utf8JsonWriter json, Activity activity)
    {
        json.WriteStartObject();
        json.WriteString("nation", _nation);
        json.WriteString("traceId", activity.TraceId.ToHexString());
        json.WriteString("spanId", activity.SpanId.ToHexString());
        if (activity.ParentSpanId != default)
        {
            json.WriteString("parentSpanId", activity.ParentSpanId.ToHexString());
        }

        json.WriteString("name", activity.DisplayName);
        json.WriteString("kind", activity.Kind.ToString().ToLowerInvariant());
        json.WriteString("source", activity.Source.Name);
        json.WriteString("start", activity.StartTimeUtc.ToString("O", CultureInfo.InvariantCulture));
        json.WriteNumber("durationMs", activity.Duration.TotalMilliseconds);
        json.WriteString("status", activity.Status.ToString().ToLowerInvariant());
        json.WriteStartObject("tags");
        foreach (var (key, value) in activity.TagObjects)
        {
            json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
