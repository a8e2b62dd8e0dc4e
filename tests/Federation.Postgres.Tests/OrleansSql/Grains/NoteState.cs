namespace Federation.Postgres.Tests.OrleansSql.Grains;

/// <summary>The persisted state of the note grains.</summary>
[GenerateSerializer, Alias("fedtest.NoteState")]
public sealed class NoteState
{
    [Id(0)] public string? Text { get; set; }
}
