namespace Federation.Silo.Hosting;

/// <summary>Whether the silo has finished starting (readiness).</summary>
public sealed class StartupState
{
    private volatile bool _ready;

    /// <summary>True once the nation is initialised and the API can serve.</summary>
    public bool IsReady => _ready;

    /// <summary>Marks the silo ready.</summary>
    public void MarkReady() => _ready = true;
}
