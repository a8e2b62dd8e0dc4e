namespace Federation.Silo.Auth.Grants;

/// <summary>A role granted to a subject in this nation's database (besides what its issuer's claims map to).</summary>
/// <param name="Subject">Who holds it: <c>{issuer name}:{sub}</c>, or an API token's subject.</param>
/// <param name="Role">One of <see cref="Roles.People"/>.</param>
/// <param name="Scope">The consortium or course of a scoped role; empty for a nation-wide one.</param>
/// <param name="GrantedBy">The subject who granted it.</param>
/// <param name="GrantedAt">When.</param>
public sealed record RoleGrant(string Subject, string Role, string Scope, string GrantedBy, DateTimeOffset GrantedAt);
