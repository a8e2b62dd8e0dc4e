using Federation.Silo.Transparency;
using Federation.Transparency;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests.Auth;

/// <summary>Reads a test nation's transparency log, and the digest a person appears under in it.</summary>
public static class AuditLog
{
    /// <summary>Every entry of <paramref name="kind"/> (up to 1000), oldest first.</summary>
    public static async Task<IReadOnlyList<AuditEntry>> EntriesAsync(IServiceProvider services, TransparencyEntryKind kind)
    {
        var rows = await services.GetRequiredService<ITransparencyLog>().QueryAsync(new TransparencyQuery(null, null, null, kind, null, null, 0, 1000), TestContext.Current.CancellationToken);
        return [.. rows.Select(AuditEntry.From)];
    }

    /// <summary>The digest under which <paramref name="subject"/> appears in the log.</summary>
    public static string Digest(IServiceProvider services, string subject) => services.GetRequiredService<TransparencyRecorder>().Digest(subject);
}
