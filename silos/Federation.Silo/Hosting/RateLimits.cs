using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Federation.Silo.Api;
using Federation.Silo.Options;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Hosting;

/// <summary>
/// ASP.NET Core's rate limiter with one token bucket per caller: a peer nation by its client
/// certificate on the federation API, a user by bearer token, an anonymous caller by address.
/// Over the limit: 429 problem+json with <c>Retry-After</c>.
/// </summary>
public static class RateLimits
{
    /// <summary>Adds the limiter, configured by <see cref="RateLimitOptions"/> (validated on start). Idempotent.</summary>
    public static IServiceCollection AddFederationRateLimits(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(s => s.ServiceType == typeof(IValidateOptions<RateLimitOptions>)))
        {
            return services;
        }

        services.AddValidatedOptions<RateLimitOptions, RateLimitOptionsValidator>(RateLimitOptions.Section);
        return services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var options = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                var (key, peer) = Partition(http);
                return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = peer ? options.PeerBurst : options.Burst,
                    TokensPerPeriod = peer ? options.PeerPermitsPerSecond : options.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = RejectAsync;
        });
    }

    /// <summary>Uses the limiter when <see cref="RateLimitOptions.Enabled"/>.</summary>
    public static IApplicationBuilder UseFederationRateLimits(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.ApplicationServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.Enabled ? app.UseRateLimiter() : app;
    }

    // Keys never hold a token itself: a hash of it, so that a heap dump shows no secret twice.
    private static (string Key, bool Peer) Partition(HttpContext http)
    {
        if (http.Connection.ClientCertificate is { } certificate)
        {
            return ("peer:" + certificate.Thumbprint, true);
        }

        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            return ("token:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(authorization)), 0, 16), false);
        }

        return ("address:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), false);
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        var http = context.HttpContext;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problems.Status(
            StatusCodes.Status429TooManyRequests,
            "Too many requests",
            $"This caller sent more requests than Federation:RateLimits allows; retry after {seconds} s.").ExecuteAsync(http);
    }
}
