namespace Federation.Silo.Postgres;

/// <summary>
/// A notice PostgreSQL sent while a migration ran (<c>RAISE NOTICE</c> or <c>RAISE WARNING</c> in
/// the script, or a server message such as "already exists, skipping").
/// </summary>
/// <param name="Migration">The migration's file name, such as <c>0016_lz4_compression.sql</c>.</param>
/// <param name="Severity">The severity, not localised: <c>WARNING</c>, <c>NOTICE</c> or <c>INFO</c>.</param>
/// <param name="SqlState">The SQLSTATE code (<c>00000</c> for a plain <c>RAISE NOTICE</c>).</param>
/// <param name="MessageText">The primary message.</param>
/// <param name="Detail">The optional secondary message.</param>
/// <param name="Hint">The optional suggestion.</param>
public sealed record MigrationNotice(string Migration, string Severity, string SqlState, string MessageText, string? Detail, string? Hint)
{
    /// <summary>The message with its detail and hint, as one line.</summary>
    public string Text =>
        MessageText + (Detail is null ? "" : $" (detail: {Detail})") + (Hint is null ? "" : $" (hint: {Hint})");
}
