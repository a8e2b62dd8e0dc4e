using Federation.Contracts.Json;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Auth;
using Federation.Silo.Diagnostics;
using Federation.Silo.Health;
using Federation.Silo.Options;

namespace Federation.Silo.Hosting;

/// <summary>The user API's cross-cutting parts: JSON, problems, rate limits, its OpenAPI document, health, tokens.</summary>
public static class UserApiExtensions
{
    /// <summary>
    /// Registers them; <paramref name="secured"/> requires bearer tokens (configured mode, or embedded
    /// mode beyond loopback). Idempotent: a second call registers nothing.
    /// </summary>
    public static IServiceCollection AddFederationUserApi(this IServiceCollection services, FederationOptions options, bool secured)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(s => s.ServiceType == typeof(SiloReadyCheck)))
        {
            return services;
        }

        services.ConfigureHttpJsonOptions(o => FederationJson.Configure(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddFederationRateLimits();
        services.AddExceptionHandler<ExceptionProblems>();
        services.AddUserApiDocument();
        services.AddSingleton<SiloReadyCheck>();
        services.AddHealthChecks().AddCheck<SiloReadyCheck>("silo", tags: ["ready"]);
        services.AddFederationAuth(options, secured);
        return services;
    }
}
