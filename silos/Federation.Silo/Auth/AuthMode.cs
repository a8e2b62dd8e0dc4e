namespace Federation.Silo.Auth;

/// <summary>Whether the user API authenticates its callers; when not (embedded on loopback), every caller is the nation's admin.</summary>
/// <param name="Secured">True when callers must authenticate.</param>
public sealed record AuthMode(bool Secured);
