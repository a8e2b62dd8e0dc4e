namespace Federation.Grains.Jobs;

/// <summary>
/// Lets a grain issue several durable writes (its state, its lease entry, its transparency entry) so
/// that they meet in one commit: while a grouping is open, the silo's commit pipeline starts no
/// transaction, so everything issued before it closes leaves together. Open it only around code that
/// issues writes without awaiting them; a silo without a commit pipeline registers none.
/// </summary>
public interface IWriteGrouping
{
    /// <summary>Opens a grouping; disposing it lets the writes issued meanwhile go, in one transaction.</summary>
    IDisposable Together();
}
