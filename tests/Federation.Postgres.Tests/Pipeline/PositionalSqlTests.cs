using Federation.Postgres.Tests.Fixtures;
using Federation.Silo.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace Federation.Postgres.Tests.Pipeline;

/// <summary>
/// <see cref="PositionalSql"/>: named placeholders become PostgreSQL's positional ones in the order of the
/// parameters given, text in quotes and comments is kept, and a statement whose names do not line up with
/// the parameters is refused. The registry's own grain-state statements, rewritten, run on PostgreSQL.
/// </summary>
public sealed class PositionalSqlTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public void Rewrite_NamesInParameterOrder_RepeatedAndAnyCase()
    {
        var sql = PositionalSql.Rewrite("SELECT @b, @A, @b + 1 WHERE x = @a", ["a", "b"]);

        Assert.Equal("SELECT $2, $1, $2 + 1 WHERE x = $1", sql);
    }

    [Fact]
    public void Rewrite_QuotesCommentsAndOperators_LeftAlone()
    {
        var sql = PositionalSql.Rewrite("SELECT '@a', \"@a\", @a -- @a\n, @ -1, @a", ["a"]);

        Assert.Equal("SELECT '@a', \"@a\", $1 -- @a\n, @ -1, $1", sql);
    }

    [Fact]
    public void Rewrite_ANameThatStartsAnother_IsTheLongerOne()
    {
        Assert.Equal("SELECT $2, $1", PositionalSql.Rewrite("SELECT @ab, @a", ["a", "ab"]));
    }

    [Theory]
    [InlineData("SELECT @a, @c", "@c is not among")]
    [InlineData("SELECT @a", "does not use the parameter(s) b")]
    [InlineData("SELECT @a, @b /* a's */", "/* at")]
    [InlineData("SELECT @a, @b, $1", "$1 at")]
    [InlineData("SELECT @a, @b, $$ @a $$", "$$ at")]
    [InlineData("SELECT @a, @b, E'\\' @a'", "E' at")]
    public void Rewrite_NamesThatDoNotLineUp_Refused(string sql, string rule)
    {
        var refused = Assert.Throws<ArgumentException>(() => PositionalSql.Rewrite(sql, ["a", "b"]));

        Assert.Contains(rule, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistryStatements_Rewritten_WriteThenReadARowOnPostgreSql()
    {
        var ct = TestContext.Current.CancellationToken;
        var write = PositionalSql.Rewrite(await RegistryAsync("WriteToStorageKey", ct), [.. GrainStateReads.KeyNames, "GrainStateVersion", "PayloadBinary"]);
        var read = PositionalSql.Rewrite(await RegistryAsync("ReadFromStorageKey", ct), GrainStateReads.KeyNames);
        Assert.DoesNotContain("@", write, StringComparison.Ordinal);
        Assert.DoesNotContain("@", read, StringComparison.Ordinal);

        // Every key column a value of its own, so that two parameters of one type swapped would show.
        var key = new PendingRead(41, 5, 6, 7, "positional", $"job-{Guid.NewGuid():N}");

        await using var connection = await database.DataSource.OpenConnectionAsync(ct);
        await using (var batch = new NpgsqlBatch(connection))
        {
            var command = new NpgsqlBatchCommand(write);
            GrainStateReads.AddKey(command.Parameters, key, "positional-test");
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlDbType.Bytea, TypedValue = new byte[] { 1, 2, 3 } });
            batch.BatchCommands.Add(command);
            Assert.Equal(1, await batch.ExecuteScalarAsync(ct));
        }

        await using (var batch = new NpgsqlBatch(connection))
        {
            var command = new NpgsqlBatchCommand(read);
            GrainStateReads.AddKey(command.Parameters, key, "positional-test");
            batch.BatchCommands.Add(command);
            await using var reader = await batch.ExecuteReaderAsync(ct);
            Assert.True(await reader.ReadAsync(ct));
            Assert.Equal([1, 2, 3], reader.GetFieldValue<byte[]>(0));
            Assert.Equal(1, reader.GetInt32(1));
        }

        // The row's key columns, read by name: each value went where its name says.
        await using var check = new NpgsqlCommand(
            "SELECT GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, ServiceId FROM OrleansStorage WHERE GrainIdExtensionString = @extension",
            connection);
        check.Parameters.AddWithValue("extension", key.Extension!);
        await using var row = await check.ExecuteReaderAsync(ct);
        Assert.True(await row.ReadAsync(ct));
        Assert.Equal((41, 5L, 6L, 7, "positional", "positional-test"), (row.GetInt32(0), row.GetInt64(1), row.GetInt64(2), row.GetInt32(3), row.GetString(4), row.GetString(5)));
    }

    private async Task<string> RegistryAsync(string key, CancellationToken ct)
    {
        await using var command = database.DataSource.CreateCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        return ((string)(await command.ExecuteScalarAsync(ct))!).Trim().TrimEnd(';').TrimEnd();
    }
}
