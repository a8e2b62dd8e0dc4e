namespace Federation.Postgres.Tests.OrleansSql.Grains;

[GrainType("fedtest-beta-note")]
public sealed class BetaNoteGrain([PersistentState(BetaNoteGrain.StateName, OrleansSqlHost.StorageName)] IPersistentState<NoteState> note)
    : Grain, IBetaNoteGrain
{
    public const string StateName = "beta-note";

    public async Task WriteAsync(string text)
    {
        note.State.Text = text;
        await note.WriteStateAsync();
    }

    public Task<string?> ReadAsync() => Task.FromResult(note.State.Text);
}
