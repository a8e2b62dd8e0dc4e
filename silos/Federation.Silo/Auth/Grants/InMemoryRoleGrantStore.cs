namespace Federation.Silo.Auth.Grants;

/// <summary>Role grants of an embedded nation: in memory, gone with the process.</summary>
public sealed class InMemoryRoleGrantStore : IRoleGrantStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Subject, string Role, string Scope), RoleGrant> _grants = [];

    /// <inheritdoc />
    public Task<IReadOnlyList<RoleGrant>> ForSubjectAsync(string subject, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RoleGrant>>([.. _grants.Values.Where(g => g.Subject == subject).OrderBy(g => g.Role, StringComparer.Ordinal).ThenBy(g => g.Scope, StringComparer.Ordinal)]);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RoleGrant>> ListAsync(string? role, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RoleGrant>>([.. _grants.Values.Where(g => role is null || g.Role == role)
                .OrderBy(g => g.Subject, StringComparer.Ordinal).ThenBy(g => g.Role, StringComparer.Ordinal).ThenBy(g => g.Scope, StringComparer.Ordinal)]);
        }
    }

    /// <inheritdoc />
    public Task<bool> GrantAsync(RoleGrant grant, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        lock (_lock)
        {
            return Task.FromResult(_grants.TryAdd((grant.Subject, grant.Role, grant.Scope), grant));
        }
    }

    /// <inheritdoc />
    public Task<bool> RevokeAsync(string subject, string role, string scope, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult(_grants.Remove((subject, role, scope)));
        }
    }
}
