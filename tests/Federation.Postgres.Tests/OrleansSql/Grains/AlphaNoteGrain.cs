namespace Federation.Postgres.Tests.OrleansSql.Grains;

[GrainType("fedtest-alpha-note")]
public sealed class AlphaNoteGrain([PersistentState(AlphaNoteGrain.StateName, OrleansSqlHost.StorageName)] IPersistentState<NoteState> note)
    : Grain, IAlphaNoteGrain
{
    public const string StateName = "alpha-note";

    public async Task WriteAsync(string text)
    {
        note.State.Text = text;
        await note.WriteStateAsync();
    }

    public Task<string?> ReadAsync() => Task.FromResult(note.State.Text);
}
