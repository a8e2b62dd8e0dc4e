namespace Federation.Silo.Auth.Tokens;

/// <summary>API tokens of an embedded nation: in memory, gone with the process.</summary>
public sealed class InMemoryApiTokenStore : IApiTokenStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ApiToken> _tokens = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task AddAsync(ApiToken token, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(token);
        lock (_lock)
        {
            _tokens.Add(token.Id, token);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<ApiToken?> FindAsync(byte[] sha256, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult(_tokens.Values.FirstOrDefault(t => t.Sha256.AsSpan().SequenceEqual(sha256)));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiToken>> ListAsync(string? subject, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ApiToken>>([.. _tokens.Values.Where(t => subject is null || t.Subject == subject).OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal)]);
        }
    }

    /// <inheritdoc />
    public Task<ApiToken?> RevokeAsync(string id, DateTimeOffset now, CancellationToken ct)
    {
        lock (_lock)
        {
            if (!_tokens.TryGetValue(id, out var token))
            {
                return Task.FromResult<ApiToken?>(null);
            }

            if (token.RevokedAt is null)
            {
                token = _tokens[id] = token with { RevokedAt = now };
            }

            return Task.FromResult<ApiToken?>(token);
        }
    }
}
