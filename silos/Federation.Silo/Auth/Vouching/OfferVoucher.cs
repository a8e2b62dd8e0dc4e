using System.Collections.Immutable;
using Federation.Contracts.Jobs;
using Federation.Grains.Nations;
using Federation.Silo.Auth.Grants;

namespace Federation.Silo.Auth.Vouching;

/// <summary>
/// The origin's side of a cross-border offer: the identity it vouches for, the job's owner (the
/// authenticated caller who submitted it, or whom an admin named). It holds what the nation knows
/// of that subject: the consortium the job was submitted for (its membership was checked at
/// submission), the roles this nation grants the subject, and what the subject's issuer said when
/// it last authenticated on this silo (<see cref="SignIns"/>; after a restart, until the user signs in
/// again, only the first two).
/// </summary>
public sealed class OfferVoucher(LocalNation local, IRoleGrantStore grants, SignIns signIns)
{
    /// <summary><paramref name="offer"/> with the identity this nation vouches for.</summary>
    public async Task<JobOffer> VouchAsync(JobOffer offer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var owner = offer.Spec.Owner;
        var held = await grants.ForSubjectAsync(owner.User, ct);
        var seen = signIns.Find(owner.User);
        var consortia = held.Where(g => g.Role is Roles.ConsortiumMember or Roles.ConsortiumLead).Select(g => g.Scope)
            .Concat(seen?.Consortia ?? [])
            .Concat(owner.Consortium is { } c ? [c] : []);
        var courses = held.Where(g => g.Role == Roles.Student).Select(g => g.Scope).Concat(seen?.Courses ?? []);
        var roles = held.Select(g => g.Role).Concat(seen?.Roles ?? []).Concat(owner.Consortium is null ? [] : [Roles.ConsortiumMember]);
        var identity = new VouchedIdentity
        {
            Origin = local.Code,
            Subject = owner.User,
            Consortia = Bounded(consortia),
            Courses = Bounded(courses),
            Roles = Bounded(roles.Where(r => r != Roles.Node)),
        };
        return offer with { Identity = identity };
    }

    private static ImmutableArray<string> Bounded(IEnumerable<string> values) =>
        [.. values.Where(v => v.Length is > 0 and <= VouchedIdentity.MaxName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(VouchedIdentity.MaxEntries)];
}
