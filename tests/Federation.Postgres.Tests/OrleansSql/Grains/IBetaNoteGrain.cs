namespace Federation.Postgres.Tests.OrleansSql.Grains;

/// <summary>A note grain whose state is named <c>beta-note</c>.</summary>
[Alias("fedtest.IBetaNoteGrain")]
public interface IBetaNoteGrain : IGrainWithStringKey, INoteGrain
{
}
