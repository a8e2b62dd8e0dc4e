namespace Federation.Grains.Catalogue;

/// <summary>Grain state that holds one catalogue record (or none yet).</summary>
public interface IRecordHolder<TRecord> where TRecord : class
{
    /// <summary>The record, tombstones included; null before registration.</summary>
    TRecord? Record { get; set; }
}
