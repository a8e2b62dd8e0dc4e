using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Grains.Nations;
using Federation.Silo.Auth.Audit;
using Federation.Silo.Options;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Auth.Foreign;

/// <summary>
/// The receiving side of a cross-border offer: applies <c>Federation:Auth:Foreign</c> to the identity
/// its origin vouches for. A refused identity is answered as a refused admission (the origin shows
/// it in the job's explain and events, as any refusal) whose reason starts with the rule, and goes
/// into this nation's transparency log (kind refusal, the rule, the origin as peer, the user as subject).
/// </summary>
public static class ForeignOffers
{
    /// <summary>The refusal of <paramref name="offer"/> from <paramref name="origin"/>, or null when this nation's rules accept its identity.</summary>
    public static async Task<Admission?> RefuseAsync(NationCode origin, JobOffer offer, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(services);
        var local = services.GetRequiredService<LocalNation>().Code;
        if (origin == local)
        {
            return null;
        }

        var options = services.GetRequiredService<IOptionsMonitor<FederationOptions>>().CurrentValue.Auth.Foreign;
        if (ForeignIdentityCheck.Decide(local, origin, offer, options) is not { } refusal)
        {
            return null;
        }

        await services.GetRequiredService<AuthAudit>().RefusedAsync(
            offer.Identity?.Subject ?? offer.Spec.Owner.User, refusal.Rule, "offer", offer.Job.ToString(), origin.Value);
        return new Admission(local, offer.Epoch, false, $"{refusal.Rule}: {refusal.Reason}");
    }
}
