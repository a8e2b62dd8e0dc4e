using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Claims;
using Federation.Silo.Auth.Audit;

namespace Federation.Silo.Auth;

/// <summary>
/// The identities this silo has seen authenticate: a sign-in entry in the transparency log the first
/// time a token is seen (per subject, method and token lifetime, not per request), and what each
/// subject was last seen to hold (roles, consortia, courses), which the nation vouches for in its
/// offers (<see cref="Vouching.OfferVoucher"/>). Both are bounded: at <see cref="MaxEntries"/> the
/// expired sign-ins go, then the oldest; the oldest-seen memberships go first.
/// </summary>
public sealed class SignIns(AuthAudit audit, TimeProvider time)
{
    /// <summary>Most sign-ins and most subjects remembered.</summary>
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _signIns = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SeenIdentity> _seen = new(StringComparer.Ordinal);
    private readonly Lock _trimLock = new();

    /// <summary>Sign-ins remembered now (for tests and metrics).</summary>
    public int Count => _signIns.Count;

    /// <summary>
    /// Notes that <paramref name="principal"/> authenticated with a token valid until <paramref name="expires"/>:
    /// appends a sign-in entry when this token lifetime was not seen yet, and remembers what the subject holds.
    /// </summary>
    /// <returns>True when this was the first sight (an entry was appended).</returns>
    public async Task<bool> SeenAsync(ClaimsPrincipal principal, DateTimeOffset expires, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var subject = principal.FindFirstValue(FederationClaims.Subject);
        if (subject is null)
        {
            return false;
        }

        var method = principal.FindFirstValue(FederationClaims.Method) ?? "unknown";
        var now = time.GetUtcNow();
        Remember(subject, principal, now);
        var key = $"{method}\n{subject}\n{expires.ToUnixTimeSeconds()}";
        if (_signIns.ContainsKey(key))
        {
            return false;
        }

        Trim(now);
        if (!_signIns.TryAdd(key, expires))
        {
            return false;
        }

        await audit.SignedInAsync(subject, method, ct);
        return true;
    }

    /// <summary>What <paramref name="subject"/> was last seen to hold here, or null.</summary>
    public SeenIdentity? Find(string subject) => _seen.TryGetValue(subject, out var seen) ? seen : null;

    private void Remember(string subject, ClaimsPrincipal principal, DateTimeOffset now)
    {
        static ImmutableArray<string> Values(ClaimsPrincipal p, string type) => [.. p.FindAll(type).Select(c => c.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var seen = new SeenIdentity(
            Values(principal, ClaimTypes.Role),
            [.. Values(principal, FederationClaims.Consortium).Union(Values(principal, FederationClaims.ConsortiumLead), StringComparer.Ordinal)],
            Values(principal, FederationClaims.Course),
            now);
        if (_seen.Count >= MaxEntries && !_seen.ContainsKey(subject))
        {
            lock (_trimLock)
            {
                foreach (var old in _seen.OrderBy(s => s.Value.At).Take(_seen.Count - MaxEntries + 1 + (MaxEntries / 10)).ToList())
                {
                    _seen.TryRemove(old.Key, out _);
                }
            }
        }

        _seen[subject] = seen;
    }

    private void Trim(DateTimeOffset now)
    {
        if (_signIns.Count < MaxEntries)
        {
            return;
        }

        lock (_trimLock)
        {
            foreach (var expired in _signIns.Where(s => s.Value <= now).ToList())
            {
                _signIns.TryRemove(expired.Key, out _);
            }

            // Still full of live tokens: the soonest to expire go (they may sign in once more).
            if (_signIns.Count >= MaxEntries)
            {
                foreach (var old in _signIns.OrderBy(s => s.Value).Take(_signIns.Count - MaxEntries + 1 + (MaxEntries / 10)).ToList())
                {
                    _signIns.TryRemove(old.Key, out _);
                }
            }
        }
    }
}
