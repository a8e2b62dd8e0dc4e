using Federation.Contracts.Ids;
using Npgsql;

namespace Federation.Silo.Artifacts;

/// <summary>Artifact metadata in PostgreSQL (migration <c>0012_model_artifacts.sql</c>), with the answers of <see cref="InMemoryArtifactMetadataStore"/>.</summary>
/// <param name="dataSource">The nation's database (migrated).</param>
public sealed class PostgresArtifactMetadataStore(NpgsqlDataSource dataSource) : IArtifactMetadataStore
{
    private const string Columns = "model_name, model_version, sha256, size_bytes, media_type, uploaded_by, uploaded_at, source_nation";

    /// <inheritdoc />
    public async Task<ArtifactRecord> AddAsync(ArtifactRecord record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO model_artifact ({Columns}) VALUES (@name, @version, @sha256, @size, @media, @by, @at, @source) ON CONFLICT (model_name, model_version) DO NOTHING; "
            + $"SELECT {Columns} FROM model_artifact WHERE model_name = @name AND model_version = @version");
        command.Parameters.AddWithValue("name", record.Model.Name.Value);
        command.Parameters.AddWithValue("version", record.Model.Version.Value);
        command.Parameters.AddWithValue("sha256", record.Sha256.Value);
        command.Parameters.AddWithValue("size", record.SizeBytes);
        command.Parameters.AddWithValue("media", record.MediaType);
        command.Parameters.AddWithValue("by", record.UploadedBy);
        command.Parameters.AddWithValue("at", record.UploadedAt.ToUniversalTime());
        command.Parameters.AddWithValue("source", record.Source.Value);
        return (await ReadAsync(command, ct))!;
    }

    /// <inheritdoc />
    public async Task<ArtifactRecord?> GetAsync(ModelRef model, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM model_artifact WHERE model_name = @name AND model_version = @version");
        command.Parameters.AddWithValue("name", model.Name.Value);
        command.Parameters.AddWithValue("version", model.Version.Value);
        return await ReadAsync(command, ct);
    }

    /// <inheritdoc />
    public async Task<int> CountAsync(Sha256Digest sha256, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM model_artifact WHERE sha256 = @sha256");
        command.Parameters.AddWithValue("sha256", sha256.Value);
        return (int)(long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<ArtifactRecord?> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new ArtifactRecord(
            new ModelRef(TypedId.Parse<ModelName>(reader.GetString(0)), TypedId.Parse<ModelVersion>(reader.GetString(1))),
            TypedId.Parse<Sha256Digest>(reader.GetString(2)),
            reader.GetInt64(3),
            reader.GetString(4),
            reader.GetString(5),
            new DateTimeOffset(reader.GetFieldValue<DateTime>(6), TimeSpan.Zero),
            TypedId.Parse<NationCode>(reader.GetString(7)));
    }
}
