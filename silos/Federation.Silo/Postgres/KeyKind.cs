namespace Federation.Silo.Postgres;

/// <summary>How a grain id is keyed in the ADO.NET grain storage table.</summary>
internal enum KeyKind
{
    /// <summary>A string key (this project's grains).</summary>
    String,

    /// <summary>An integer key, possibly with an extension.</summary>
    Integer,

    /// <summary>A GUID key, possibly with an extension.</summary>
    Guid,
}
