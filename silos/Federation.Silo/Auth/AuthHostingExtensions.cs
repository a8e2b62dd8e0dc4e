using Federation.Silo.Auth.Audit;
using Federation.Silo.Auth.Grants;
using Federation.Silo.Auth.Tokens;
using Federation.Silo.Auth.Vouching;
using Federation.Silo.Options;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Federation.Silo.Auth;

/// <summary>The people-and-roles feature of a nation's silo: authentication schemes, policies, role grants.</summary>
public static class AuthHostingExtensions
{
    /// <summary>
    /// Registers it; <paramref name="secured"/> requires authentication (configured mode, embedded mode
    /// beyond loopback or with <c>Federation:Auth:RequireOnLoopback</c>). Idempotent.
    /// </summary>
    public static IServiceCollection AddFederationAuth(this IServiceCollection services, FederationOptions options, bool secured)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        if (services.Any(s => s.ServiceType == typeof(AuthMode)))
        {
            return services;
        }

        services.AddSingleton(new AuthMode(secured));
        services.TryAddSingleton<IRoleGrantStore>(sp => sp.GetService<NpgsqlDataSource>() is { } database
            ? new PostgresRoleGrantStore(database)
            : new InMemoryRoleGrantStore());
        services.TryAddSingleton<IApiTokenStore>(sp => sp.GetService<NpgsqlDataSource>() is { } database
            ? new PostgresApiTokenStore(database)
            : new InMemoryApiTokenStore());
        services.AddSingleton<ApiTokens>();
        services.AddSingleton<AuthAudit>();
        services.AddSingleton<SignIns>();
        services.AddSingleton<OfferVoucher>();
        services.AddAuthentication(OidcAuthentication.SchemeName).AddFederationSchemes(options.Auth.Issuers);
        services.AddSingleton<IAuthorizationHandler, CallerRuleHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, RuleAuthorizationResultHandler>();
        Policies.Configure(services.AddAuthorizationBuilder(), options, secured);
        return services;
    }
}
