namespace Federation.Silo.Hosting;

/// <summary>How a silo keeps its state.</summary>
public enum SiloMode
{
    /// <summary>In memory, localhost clustering, open without authentication: for trying the product.</summary>
    Embedded,

    /// <summary>PostgreSQL for membership, grain state, reminders and the read model; tokens required.</summary>
    Configured,
}
