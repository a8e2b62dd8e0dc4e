namespace Federation.Silo.Auth.Grants;

/// <summary>Role grants kept by the nation: in PostgreSQL (table <c>role_grant</c>, migration 0007) or in memory (embedded mode).</summary>
public interface IRoleGrantStore
{
    /// <summary>The grants of <paramref name="subject"/>.</summary>
    Task<IReadOnlyList<RoleGrant>> ForSubjectAsync(string subject, CancellationToken ct);

    /// <summary>Every grant, or those of a role, ordered by subject, role and scope.</summary>
    Task<IReadOnlyList<RoleGrant>> ListAsync(string? role, CancellationToken ct);

    /// <summary>Adds the grant; false when the subject already held that role for that scope (the stored one stays).</summary>
    Task<bool> GrantAsync(RoleGrant grant, CancellationToken ct);

    /// <summary>Removes the grant; false when there was none.</summary>
    Task<bool> RevokeAsync(string subject, string role, string scope, CancellationToken ct);
}
