namespace Federation.Silo.Options;

/// <summary>PostgreSQL (section <c>Federation:Postgres</c>).</summary>
public sealed class PostgresOptions
{
    /// <summary>Npgsql connection string; when empty, the silo runs embedded in memory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Connection pool bound per silo, so that several silos stay under the server's max_connections.</summary>
    public int MaxPoolSize { get; set; } = 20;

    /// <summary>Apply schema migrations at start-up (development); otherwise run <c>Federation.Silo migrate</c> at deployment.</summary>
    public bool MigrateOnStart { get; set; }
}
