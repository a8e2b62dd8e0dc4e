using Federation.Silo.Transparency;
using Federation.Transparency;

namespace Federation.Silo.Auth.Audit;

/// <summary>
/// What people and roles put into the nation's transparency log: refusals of a caller (with the
/// rule's name), role grants and revocations, API tokens created and revoked, sign-ins. The person
/// goes in <c>subject</c> (kept only as its digest), never in the rule or the detail. A nation
/// without a log (a user API composed alone) records nothing.
/// </summary>
public sealed class AuthAudit(IServiceProvider services)
{
    private TransparencyRecorder? Recorder => services.GetService<TransparencyRecorder>();

    /// <summary>A caller was refused <paramref name="action"/> (on <paramref name="job"/>) by <paramref name="rule"/>.</summary>
    public Task RefusedAsync(string subject, string rule, string action, string? job = null, string? peer = null, CancellationToken ct = default) =>
        RecordAsync(TransparencyEntryKind.Refusal, subject, rule, [new("action", action)], job, peer, ct);

    /// <summary><paramref name="subject"/>'s role <paramref name="role"/> (for <paramref name="scope"/>) was granted or revoked.</summary>
    public Task RoleChangedAsync(string subject, bool granted, string role, string scope, CancellationToken ct = default) =>
        RecordAsync(TransparencyEntryKind.RoleChange, subject, granted ? "role-granted" : "role-revoked",
            [new("role", role), .. scope.Length > 0 ? [new KeyValuePair<string, string>("scope", scope)] : Array.Empty<KeyValuePair<string, string>>()], null, null, ct);

    /// <summary>An API token of <paramref name="subject"/> carrying <paramref name="scopes"/> was created or revoked.</summary>
    public Task TokenChangedAsync(string subject, bool created, string tokenId, IEnumerable<string> scopes, CancellationToken ct = default) =>
        RecordAsync(TransparencyEntryKind.RoleChange, subject, created ? "token-created" : "token-revoked",
            [new("token", tokenId), new("roles", Clip(string.Join(' ', scopes)))], null, null, ct);

    /// <summary><paramref name="subject"/> signed in by <paramref name="method"/> (once per token lifetime).</summary>
    public Task SignedInAsync(string subject, string method, CancellationToken ct = default) =>
        RecordAsync(TransparencyEntryKind.SignIn, subject, "sign-in", [new("method", method)], null, null, ct);

    private async Task RecordAsync(TransparencyEntryKind kind, string subject, string rule, KeyValuePair<string, string>[] detail, string? job, string? peer, CancellationToken ct)
    {
        if (Recorder is { } recorder)
        {
            // A failed append is logged by the recorder; the decision it records stands.
            await recorder.RecordAsync(kind, job: job, peer: peer, rule: rule, subject: subject, detail: detail, cancellationToken: ct);
        }
    }

    private static string Clip(string text) => text.Length > TransparencyEntry.MaxDetailValue ? text[..TransparencyEntry.MaxDetailValue] : text;
}
