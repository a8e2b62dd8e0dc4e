using Federation.Silo.Postgres;
using Federation.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Federation.Postgres.Tests.Fixtures;

/// <summary>A fresh database, migrated to the latest schema, for one test class.</summary>
public sealed class MigratedDatabase : IAsyncLifetime
{
    private PostgresTestDatabase? _database;
    private NpgsqlDataSource? _dataSource;

    /// <summary>Connection string to the database.</summary>
    public string ConnectionString => _database?.ConnectionString ?? throw new InvalidOperationException("The database is not created yet.");

    /// <summary>A data source on the database, shared by the class's tests.</summary>
    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("The database is not created yet.");

    public async ValueTask InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync("migrated");
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        await new SchemaMigrator(_dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
