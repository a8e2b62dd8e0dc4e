using System.Diagnostics;
using Npgsql;

namespace Federation.Benchmarks;

/// <summary>
/// The same deep page fetched two ways straight from the read-model table with Npgsql: keyset
/// (what the silo runs) and OFFSET (what it avoids), with identical columns, filter and page size.
/// </summary>
internal sealed class SqlPagingBaseline(NpgsqlDataSource dataSource)
{
    private const string Select = "SELECT key, document::text FROM catalogue_datasets WHERE status <> 'withdrawn' AND status <> 'deleted'";

    public const string KeysetSql = Select + " AND key > @after ORDER BY key LIMIT @limit";

    public const string OffsetSql = Select + " ORDER BY key OFFSET @offset LIMIT @limit";

    /// <summary>OFFSET at its best: skip over keys only, then fetch the page's documents, so skipped rows are not converted to text.</summary>
    public const string OffsetKeysSql =
        "SELECT d.key, d.document::text FROM (SELECT key FROM catalogue_datasets WHERE status <> 'withdrawn' AND status <> 'deleted' ORDER BY key OFFSET @offset LIMIT @limit) page "
        + "JOIN catalogue_datasets d ON d.key = page.key ORDER BY d.key";

    /// <summary>Checks that all three return the same page, then gives a probe of each (keyset first).</summary>
    public async Task<Probe[]> ProbesAsync(string after, int offset, int limit)
    {
        var (_, keyset) = await RunAsync(KeysetSql, ("after", after), limit);
        foreach (var sql in new[] { OffsetSql, OffsetKeysSql })
        {
            var (_, byOffset) = await RunAsync(sql, ("offset", offset), limit);
            if (keyset.Count != limit || !keyset.SequenceEqual(byOffset, StringComparer.Ordinal))
            {
                throw new InvalidOperationException(
                    $"Baseline: keyset after '{after}' ({keyset.Count} rows from '{keyset.FirstOrDefault()}') and [{sql}] with offset {offset} ({byOffset.Count} rows from '{byOffset.FirstOrDefault()}') are not the same page of {limit}.");
            }
        }

        return
        [
            new Probe($"SQL keyset (key > @after LIMIT {limit})", async () => Timed(await RunAsync(KeysetSql, ("after", after), limit)), limit),
            new Probe($"SQL OFFSET {offset} LIMIT {limit}", async () => Timed(await RunAsync(OffsetSql, ("offset", offset), limit)), limit),
            new Probe($"SQL OFFSET {offset} LIMIT {limit} over keys, then documents", async () => Timed(await RunAsync(OffsetKeysSql, ("offset", offset), limit)), limit),
        ];
    }

    private static (TimeSpan, int) Timed((TimeSpan Elapsed, List<string> Keys) run) => (run.Elapsed, run.Keys.Count);

    private async Task<(TimeSpan Elapsed, List<string> Keys)> RunAsync(string sql, (string Name, object Value) parameter, int limit)
    {
        var keys = new List<string>(limit);
        var clock = Stopwatch.StartNew();
        await using (var command = dataSource.CreateCommand(sql))
        {
            command.Parameters.AddWithValue(parameter.Name, parameter.Value);
            command.Parameters.AddWithValue("limit", limit);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
                _ = reader.GetString(1);
            }
        }

        return (clock.Elapsed, keys);
    }
}
