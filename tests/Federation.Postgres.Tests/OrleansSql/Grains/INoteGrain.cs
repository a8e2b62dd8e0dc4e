namespace Federation.Postgres.Tests.OrleansSql.Grains;

/// <summary>A grain that keeps one note in ADO.NET grain storage.</summary>
public interface INoteGrain
{
    Task WriteAsync(string text);

    Task<string?> ReadAsync();
}
