namespace Federation.Postgres.Tests.OrleansSql.Grains;

/// <summary>A note grain whose state is named <c>alpha-note</c>.</summary>
[Alias("fedtest.IAlphaNoteGrain")]
public interface IAlphaNoteGrain : IGrainWithStringKey, INoteGrain
{
}
