namespace Federation.Silo.Auth.Grants;

/// <summary>Body of <c>POST /api/v1/roles:grant</c> and <c>POST /api/v1/roles:revoke</c>.</summary>
public sealed class RoleGrantRequest
{
    /// <summary>Who: <c>{issuer name}:{sub}</c>, e.g. <c>uni:alice</c>.</summary>
    public string? Subject { get; set; }

    /// <summary>The role (<see cref="Roles.People"/>).</summary>
    public string? Role { get; set; }

    /// <summary>The consortium or course of a scoped role; left out for a nation-wide one.</summary>
    public string? Scope { get; set; }
}
