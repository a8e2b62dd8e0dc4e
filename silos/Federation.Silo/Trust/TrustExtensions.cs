using Federation.Grains.Jobs;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Trust;

/// <summary>Wires the bounds on peers' claims and the signed dataset terms into a nation's silo.</summary>
public static class TrustExtensions
{
    /// <summary>Registers <see cref="TrustOptions"/> (validated at start) and the services that sign, attach and verify dataset terms and check adverts' claims. Idempotent.</summary>
    public static IServiceCollection AddFederationTrust(this IServiceCollection services)
    {
        if (services.Any(s => s.ServiceType == typeof(TermsSigner)))
        {
            return services;
        }

        services.AddOptions<TrustOptions>().BindConfiguration(TrustOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TrustOptions>, TrustOptionsValidator>();
        services.AddSingleton<ClaimReferences>();
        services.AddSingleton<TermsSigner>();
        services.AddSingleton<ForeignTerms>();
        services.AddSingleton<OfferTerms>();
        services.AddSingleton<OfferInputVerifier>();
        services.AddSingleton<IInputTermsVerifier>(sp => sp.GetRequiredService<OfferInputVerifier>());
        return services;
    }
}
