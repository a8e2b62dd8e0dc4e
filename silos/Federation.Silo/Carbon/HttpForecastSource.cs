using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Federation.Contracts.Peers;
using Federation.Reference.Forecasts;

namespace Federation.Silo.Carbon;

/// <summary>
/// A forecast from a Carbon Aware SDK WebAPI: <c>GET {base}/emissions/forecasts/current?location=...</c>,
/// whose answer is an array with one element per location and in it <c>forecastData</c>, points of
/// <c>timestamp</c>, <c>duration</c> (minutes) and <c>value</c> (gCO2/kWh). Read strictly: a body over
/// 1 MiB, a point without those fields, a value out of bounds or an hour the points do not cover is a
/// failure (<see cref="FormatException"/>), as is no answer within the timeout (<see cref="TimeoutException"/>).
/// Points are averaged per hour, weighted by how much of the hour they cover.
/// </summary>
public sealed class HttpForecastSource(HttpClient client, Uri baseUrl, string? location, TimeSpan timeout) : IIntensityForecastSource
{
    /// <summary>Largest answer read, bytes.</summary>
    public const int MaxBytes = 1024 * 1024;

    private const int MaxPoints = 20_000;

    /// <inheritdoc />
    public string Name => "http";

    /// <inheritdoc />
    public async ValueTask<IntensityForecast> ForecastAsync(string zone, DateTimeOffset from, int hours, CancellationToken cancellationToken)
    {
        var where = string.IsNullOrWhiteSpace(location) ? zone : location;
        var address = new Uri(baseUrl, $"emissions/forecasts/current?location={Uri.EscapeDataString(where)}");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        byte[] body;
        try
        {
            using var response = await client.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{address} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(limit.Token);
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, limit.Token)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    throw new FormatException($"{address} answered more than {MaxBytes} bytes");
                }

                buffer.Write(chunk, 0, read);
            }

            body = buffer.ToArray();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{address} did not answer within {timeout.TotalSeconds:0.#} s");
        }

        var start = ForecastHours.HourOf(from);
        return new IntensityForecast
        {
            Source = ForecastHours.SourceText($"http: {baseUrl.GetLeftPart(UriPartial.Authority)} location {where}"),
            From = start,
            Hourly = Hourly(Read(body, where), start, hours),
        };
    }

    /// <summary>The points of the answer's element for <paramref name="where"/> (or its only element).</summary>
    /// <exception cref="FormatException">The answer is not in the WebAPI's shape, or a point is out of bounds.</exception>
    public static List<(DateTimeOffset At, int Minutes, double Value)> Read(ReadOnlySpan<byte> body, string where)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new FormatException($"the forecast is not JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() == 0)
            {
                throw new FormatException("the forecast must be a non-empty array with one element per location");
            }

            var element = root.EnumerateArray().FirstOrDefault(e => e.ValueKind == JsonValueKind.Object
                && e.TryGetProperty("location", out var l) && l.ValueKind == JsonValueKind.String && l.GetString() == where);
            if (element.ValueKind != JsonValueKind.Object)
            {
                element = root.GetArrayLength() == 1 ? root[0] : throw new FormatException($"the forecast has no element for location '{where}'");
            }

            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("forecastData", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("forecastData: required, an array of points");
            }

            if (data.GetArrayLength() > MaxPoints)
            {
                throw new FormatException($"forecastData: at most {MaxPoints} points");
            }

            var points = new List<(DateTimeOffset, int, double)>(data.GetArrayLength());
            var i = 0;
            foreach (var point in data.EnumerateArray())
            {
                points.Add(ReadPoint(point, i++));
            }

            return points;
        }
    }

    private static (DateTimeOffset, int, double) ReadPoint(JsonElement point, int i)
    {
        if (point.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"forecastData[{i}]: must be an object");
        }

        if (!point.TryGetProperty("timestamp", out var t) || t.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            throw new FormatException($"forecastData[{i}].timestamp: required, a time with its offset");
        }

        if (!point.TryGetProperty("duration", out var d) || d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out var minutes) || minutes is < 1 or > 1440)
        {
            throw new FormatException($"forecastData[{i}].duration: required, 1 to 1440 minutes");
        }

        if (!point.TryGetProperty("value", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var value)
            || !double.IsFinite(value) || value < 0 || value > IntensityForecast.MaxGco2PerKwh)
        {
            throw new FormatException($"forecastData[{i}].value: required, 0 to {IntensityForecast.MaxGco2PerKwh} gCO2/kWh");
        }

        return (at, minutes, value);
    }

    /// <summary>The points averaged per hour from <paramref name="start"/>, weighted by the share of the hour each covers.</summary>
    /// <exception cref="FormatException">An hour no point covers.</exception>
    public static ImmutableArray<double> Hourly(List<(DateTimeOffset At, int Minutes, double Value)> points, DateTimeOffset start, int hours)
    {
        var values = ImmutableArray.CreateBuilder<double>(hours);
        for (var h = 0; h < hours; h++)
        {
            var (from, to) = (start.AddHours(h), start.AddHours(h + 1));
            double weighted = 0, covered = 0;
            foreach (var (at, minutes, value) in points)
            {
                var overlap = (Min(to, at.AddMinutes(minutes)) - Max(from, at)).TotalMinutes;
                if (overlap > 0)
                {
                    (weighted, covered) = (weighted + (overlap * value), covered + overlap);
                }
            }

            if (covered <= 0)
            {
                throw new FormatException($"forecastData covers no part of the hour from {from:yyyy-MM-dd HH:00} UTC");
            }

            values.Add(weighted / covered);
        }

        return values.MoveToImmutable();
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
