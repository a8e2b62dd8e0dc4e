using Federation.Silo.Shares;
using Npgsql;
using NpgsqlTypes;

namespace Federation.Silo.Postgres;

/// <summary>
/// The usage ledger's charges and releases as statements of the silo's <see cref="CommitPipeline"/>:
/// a run's charge is written in the transaction that writes its admission (and a release with the
/// other writes of its flush), instead of a transaction of its own per run.
/// </summary>
/// <remarks>
/// Items are <see cref="StoredCharge"/> (answered true when this write kept it, false when its key was
/// kept already) and <see cref="UsageRelease"/> (answered with the release in force, its used hours included, or null when no
/// such charge is kept). Each kind is one statement over arrays in key order. It answers rows, so it
/// orders after grain state and before the read models and the lease index (see <see cref="ICommitTable"/>).
/// </remarks>
public sealed class UsageLedgerCommitTable : ICommitTable
{
    private const string ChargeSql = """
        INSERT INTO usage_charge (charge_key, origin, consortium, tier, hours, accelerators, user_name, course, borrowed, charged_at, ends_by)
        SELECT * FROM unnest(@key::text[], @origin::text[], @consortium::text[], @tier::text[], @hours::double precision[], @accelerators::integer[],
            @user::text[], @course::text[], @borrowed::boolean[], @charged_at::timestamptz[], @ends_by::timestamptz[])
        ON CONFLICT (charge_key) DO NOTHING
        RETURNING charge_key
        """;

    private const string ReleaseSql = """
        UPDATE usage_charge u SET used_hours = CASE WHEN u.released_at IS NULL THEN v.used ELSE u.used_hours END,
            released_at = COALESCE(u.released_at, v.at)
        FROM unnest(@key::text[], @at::timestamptz[], @used::double precision[]) AS v(key, at, used)
        WHERE u.charge_key = v.key
        RETURNING u.charge_key, u.released_at, u.used_hours
        """;

    /// <inheritdoc />
    public string Name => "usage ledger";

    /// <inheritdoc />
    public int Order => 3;

    /// <inheritdoc />
    public Func<NpgsqlDataReader, Task<IReadOnlyList<object?>>> AddCommands(NpgsqlBatch batch, IReadOnlyList<object> items)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(items);

        // One row per key, the first queued, in key order (the order transactions lock rows in).
        var charges = FirstPerKey(items.OfType<StoredCharge>(), c => c.Charge.Key);
        var releases = FirstPerKey(items.OfType<UsageRelease>(), r => r.Key);
        if (charges.Count > 0)
        {
            batch.BatchCommands.Add(ChargeCommand(charges));
        }

        if (releases.Count > 0)
        {
            var update = new NpgsqlBatchCommand(ReleaseSql);
            update.Parameters.Add(Texts("key", releases.Select(r => r.Key)));
            update.Parameters.Add(new NpgsqlParameter<DateTime[]>("at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = [.. releases.Select(r => r.At.UtcDateTime)] });
            update.Parameters.Add(new NpgsqlParameter<double?[]>("used", NpgsqlDbType.Array | NpgsqlDbType.Double) { TypedValue = [.. releases.Select(r => r.UsedHours)] });
            batch.BatchCommands.Add(update);
        }

        return async reader =>
        {
            var kept = new HashSet<string>(StringComparer.Ordinal);
            if (charges.Count > 0)
            {
                while (await reader.ReadAsync())
                {
                    kept.Add(reader.GetString(0));
                }

                await reader.NextResultAsync();
            }

            var released = new Dictionary<string, UsageRelease>(StringComparer.Ordinal);
            if (releases.Count > 0)
            {
                while (await reader.ReadAsync())
                {
                    var key = reader.GetString(0);
                    released[key] = new UsageRelease(key, reader.GetFieldValue<DateTimeOffset>(1), reader.IsDBNull(2) ? null : reader.GetDouble(2));
                }

                await reader.NextResultAsync();
            }

            // A charge queued twice in one transaction is kept by its first write only.
            return [.. items.Select(item => item switch
            {
                StoredCharge c => (object?)kept.Remove(c.Charge.Key),
                UsageRelease r => released.GetValueOrDefault(r.Key),
                _ => throw new InvalidOperationException($"The usage ledger cannot write a {item.GetType().Name}."),
            })];
        };
    }

    /// <inheritdoc />
    public Task<object?> RefusedAsync(object item, PostgresException refusal) => Task.FromException<object?>(refusal);

    private static NpgsqlBatchCommand ChargeCommand(List<StoredCharge> charges)
    {
        var insert = new NpgsqlBatchCommand(ChargeSql);
        insert.Parameters.Add(Texts("key", charges.Select(c => c.Charge.Key)));
        insert.Parameters.Add(Texts("origin", charges.Select(c => c.Charge.Account.Nation)));
        insert.Parameters.Add(Texts("consortium", charges.Select(c => c.Charge.Account.Consortium)));
        insert.Parameters.Add(Texts("tier", charges.Select(c => c.Charge.Account.Tier.ToString())));
        insert.Parameters.Add(new NpgsqlParameter<double[]>("hours", NpgsqlDbType.Array | NpgsqlDbType.Double) { TypedValue = [.. charges.Select(c => c.Charge.Hours)] });
        insert.Parameters.Add(new NpgsqlParameter<int[]>("accelerators", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. charges.Select(c => c.Charge.Accelerators)] });
        insert.Parameters.Add(Texts("user", charges.Select(c => c.User)));
        insert.Parameters.Add(new NpgsqlParameter<string?[]>("course", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. charges.Select(c => c.Course)] });
        insert.Parameters.Add(new NpgsqlParameter<bool[]>("borrowed", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { TypedValue = [.. charges.Select(c => c.Borrowed)] });
        insert.Parameters.Add(new NpgsqlParameter<DateTime[]>("charged_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = [.. charges.Select(c => c.Charge.ChargedAt.UtcDateTime)] });
        insert.Parameters.Add(new NpgsqlParameter<DateTime[]>("ends_by", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = [.. charges.Select(c => c.Charge.EndsBy.UtcDateTime)] });
        return insert;
    }

    private static List<T> FirstPerKey<T>(IEnumerable<T> items, Func<T, string> key)
    {
        var first = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            first.TryAdd(key(item), item);
        }

        return [.. first.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value)];
    }

    private static NpgsqlParameter<string[]> Texts(string name, IEnumerable<string> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. values] };
}
