namespace Federation.Silo.Postgres;

/// <summary>
/// The database's schema does not match the migrations of this build: an applied migration was
/// edited, or the database is newer than this build. The silo must not start against it.
/// </summary>
public sealed class SchemaMismatchException : Exception
{
    /// <summary>Creates the exception for the migration named <paramref name="migrationName"/>.</summary>
    public SchemaMismatchException(string migrationName, string message)
        : base(message)
    {
        MigrationName = migrationName;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public SchemaMismatchException()
        : this("", "The database schema does not match this build.")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public SchemaMismatchException(string message)
        : this("", message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public SchemaMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
        MigrationName = "";
    }

    /// <summary>The migration file (or recorded name) at fault, such as <c>0001_orleans.sql</c>.</summary>
    public string MigrationName { get; }
}
