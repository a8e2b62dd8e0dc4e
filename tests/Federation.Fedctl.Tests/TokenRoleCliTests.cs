using Federation.Testing;

namespace Federation.Fedctl.Tests;

/// <summary>
/// <c>fedctl token create|list|revoke</c> and <c>fedctl roles grant|list|revoke</c> against a running
/// nation that authenticates on loopback: the happy paths, and each error with its exit code and a
/// message naming the field or rule.
/// </summary>
public sealed class TokenRoleCliTests : IAsyncLifetime
{
    private SiloUnderTest _silo = null!;

    public async ValueTask InitializeAsync() => _silo = await SiloUnderTest.StartEmbeddedAsync(extra: new Dictionary<string, string?>
    {
        ["Federation:Auth:RequireOnLoopback"] = "true",
        ["Federation:Auth:AdminTokens:0"] = SiloUnderTest.AdminToken,
    });

    public async ValueTask DisposeAsync() => await _silo.DisposeAsync();

    private Dictionary<string, string?> Environment(string? token = SiloUnderTest.AdminToken)
    {
        var environment = FedctlRun.CleanEnvironment();
        environment["FEDCTL_URL"] = _silo.BaseAddress.ToString();
        environment["FEDCTL_TOKEN"] = token;
        return environment;
    }

    [Fact]
    public async Task Token_CreateListRevoke_TheSecretWorksUntilRevoked()
    {
        var (exit, secret, error) = await FedctlRun.RunAsync(Environment(), "token", "create", "laptop", "--days", "7");
        Assert.True(exit == 0, error);
        secret = secret.Trim();
        Assert.StartsWith("fedtok_", secret, StringComparison.Ordinal);
        Assert.Contains("not shown again", error, StringComparison.Ordinal);
        var id = error.Split(' ')[1];
        Assert.StartsWith("tok-", id, StringComparison.Ordinal);

        // The new token lists itself (the caller's own tokens), never its secret.
        (exit, var listed, error) = await FedctlRun.RunAsync(Environment(secret), "token", "list");
        Assert.True(exit == 0, error);
        Assert.Contains(id, listed, StringComparison.Ordinal);
        Assert.Contains("laptop", listed, StringComparison.Ordinal);
        Assert.Contains("nation-admin", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);

        (exit, var revoked, error) = await FedctlRun.RunAsync(Environment(), "token", "revoke", id);
        Assert.True(exit == 0, error);
        Assert.Contains($"revoked {id} (laptop)", revoked, StringComparison.Ordinal);

        (exit, _, error) = await FedctlRun.RunAsync(Environment(secret), "token", "list");
        Assert.Equal(ExitCodes.Unauthorized, exit);
        Assert.Contains("revoked", error, StringComparison.Ordinal);

        (exit, var all, error) = await FedctlRun.RunAsync(Environment(), "token", "list", "--all");
        Assert.True(exit == 0, error);
        Assert.Contains(id, all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_Errors_NameTheFieldOrRule()
    {
        var (exit, _, error) = await FedctlRun.RunAsync(Environment(), "token", "create", "long", "--days", "91");
        Assert.Equal(ExitCodes.Invalid, exit);
        Assert.Contains("expiresInDays", error, StringComparison.Ordinal);

        (exit, _, error) = await FedctlRun.RunAsync(Environment(), "token", "create", "wizard", "--scope", "wizard");
        Assert.Equal(ExitCodes.Invalid, exit);
        Assert.Contains("scopes", error, StringComparison.Ordinal);

        (exit, _, error) = await FedctlRun.RunAsync(Environment(), "token", "revoke", "tok-000000000000");
        Assert.Equal(ExitCodes.NotFound, exit);
        Assert.Contains("tok-000000000000", error, StringComparison.Ordinal);

        (exit, _, error) = await FedctlRun.RunAsync(Environment(null), "token", "list");
        Assert.Equal(ExitCodes.Unauthorized, exit);

        (exit, _, error) = await FedctlRun.RunAsync(Environment("not-a-token-of-this-nation"), "token", "list");
        Assert.Equal(ExitCodes.Unauthorized, exit);
        Assert.Contains("not one this nation issued", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Roles_GrantListRevoke()
    {
        var (exit, output, error) = await FedctlRun.RunAsync(Environment(), "roles", "grant", "uni:alice", "consortium-member", "--scope", "c1");
        Assert.True(exit == 0, error);
        Assert.Contains("uni:alice holds consortium-member for c1", output, StringComparison.Ordinal);
        Assert.DoesNotContain("(already)", output, StringComparison.Ordinal);

        (exit, output, error) = await FedctlRun.RunAsync(Environment(), "roles", "grant", "uni:alice", "consortium-member", "--scope", "c1");
        Assert.True(exit == 0, error);
        Assert.Contains("(already)", output, StringComparison.Ordinal);

        (exit, output, error) = await FedctlRun.RunAsync(Environment(), "roles", "grant", "uni:bob", "auditor");
        Assert.True(exit == 0, error);

        (exit, output, error) = await FedctlRun.RunAsync(Environment(), "roles", "list");
        Assert.True(exit == 0, error);
        Assert.Contains("uni:alice", output, StringComparison.Ordinal);
        Assert.Contains("uni:bob", output, StringComparison.Ordinal);

        (exit, output, error) = await FedctlRun.RunAsync(Environment(), "roles", "list", "--role", "auditor");
        Assert.True(exit == 0, error);
        Assert.Contains("uni:bob", output, StringComparison.Ordinal);
        Assert.DoesNotContain("uni:alice", output, StringComparison.Ordinal);

        (exit, output, error) = await FedctlRun.RunAsync(Environment(), "roles", "revoke", "uni:alice", "consortium-member", "--scope", "c1");
        Assert.True(exit == 0, error);
        Assert.Contains("uni:alice no longer holds consortium-member for c1", output, StringComparison.Ordinal);

        (exit, output, error) = await FedctlRun.RunAsync(Environment(), "roles", "list", "--role", "consortium-member");
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("uni:alice", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Roles_Errors_NameTheFieldOrRule()
    {
        var (exit, _, error) = await FedctlRun.RunAsync(Environment(), "roles", "grant", "uni:bob", "consortium-member");
        Assert.Equal(ExitCodes.Invalid, exit);
        Assert.Contains("scope", error, StringComparison.Ordinal);

        (exit, _, error) = await FedctlRun.RunAsync(Environment(), "roles", "grant", "uni:bob", "wizard");
        Assert.Equal(ExitCodes.Invalid, exit);
        Assert.Contains("'wizard' is not a role", error, StringComparison.Ordinal);

        (exit, _, error) = await FedctlRun.RunAsync(Environment(), "roles", "grant", "uni:bob", "auditor", "--scope", "c1");
        Assert.Equal(ExitCodes.Invalid, exit);
        Assert.Contains("takes no scope", error, StringComparison.Ordinal);

        (exit, _, error) = await FedctlRun.RunAsync(Environment(), "roles", "list", "--role", "wizard");
        Assert.Equal(ExitCodes.Invalid, exit);
        Assert.Contains("role", error, StringComparison.Ordinal);

        (exit, _, error) = await FedctlRun.RunAsync(Environment(), "roles", "revoke", "uni:nobody", "auditor");
        Assert.Equal(ExitCodes.NotFound, exit);
        Assert.Contains("uni:nobody holds no grant of auditor", error, StringComparison.Ordinal);

        (exit, _, _) = await FedctlRun.RunAsync(Environment(null), "roles", "grant", "uni:bob", "auditor");
        Assert.Equal(ExitCodes.Unauthorized, exit);
    }
}
