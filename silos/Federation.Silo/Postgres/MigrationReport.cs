namespace Federation.Silo.Postgres;

/// <summary>What <see cref="SchemaMigrator.MigrateAsync"/> did.</summary>
/// <param name="Applied">Versions applied by this call, in order.</param>
/// <param name="AlreadyPresent">Versions found applied already (checksums verified).</param>
/// <param name="CurrentVersion">The database's schema version afterwards.</param>
/// <param name="Notices">The notices the migrations applied by this call raised, in order (also logged).</param>
public sealed record MigrationReport(IReadOnlyList<int> Applied, IReadOnlyList<int> AlreadyPresent, int CurrentVersion, IReadOnlyList<MigrationNotice> Notices);
