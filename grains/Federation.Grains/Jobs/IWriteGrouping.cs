namespace Federation.Grains.Jobs;

/// <summary>
/// Lets a grain issue several durable writes (its state, its lease entry, its transparency entry) so
/// that they meet in one commit: while a grouping is open, the silo's commit pipeline starts no new
/// transaction, so on an idle pipeline everything issued before it closes leaves together (on a busy
/// one, a transaction already being gathered may take some of them: they still commit, in group
/// commits). Open it only around code that issues writes without awaiting them; a silo without a
/// commit pipeline registers none.
/// </summary>
public interface IWriteGrouping
{
    /// <summary>Opens a grouping; disposing it lets the writes issued meanwhile go, in one transaction.</summary>
    IDisposable Together();
}
