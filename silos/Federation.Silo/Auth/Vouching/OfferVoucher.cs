using System.Collections.Concurrent;
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
/// <remarks>
/// The roles granted are read at most every <see cref="GrantsFreshFor"/> per subject (a batch of one
/// owner's jobs costs one read, not one per offer), so a grant or revocation reaches the offers within
/// that time.
/// </remarks>
public sealed class OfferVoucher(LocalNation local, IRoleGrantStore grants, SignIns signIns, TimeProvider time)
{
    /// <summary>The longest the roles read for a subject are used for its offers.</summary>
    public static readonly TimeSpan GrantsFreshFor = TimeSpan.FromSeconds(2);

    private const int MaxSubjects = 1024;
    private readonly ConcurrentDictionary<string, (DateTimeOffset ReadAt, Task<IReadOnlyList<RoleGrant>> Grants)> _read = new(StringComparer.Ordinal);

    /// <summary><paramref name="offer"/> with the identity this nation vouches for.</summary>
    public async Task<JobOffer> VouchAsync(JobOffer offer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var owner = offer.Spec.Owner;
        var held = await GrantsOfAsync(owner.User, ct);
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

    private async Task<IReadOnlyList<RoleGrant>> GrantsOfAsync(string subject, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!_read.TryGetValue(subject, out var read) || now - read.ReadAt >= GrantsFreshFor || read.Grants.IsFaulted || read.Grants.IsCanceled)
        {
            if (_read.Count >= MaxSubjects)
            {
                _read.Clear();
            }

            // Offers of one subject at the same moment share one read.
            read = (now, grants.ForSubjectAsync(subject, CancellationToken.None));
            _read[subject] = read;
        }

        return await read.Grants.WaitAsync(ct); // the caller stops waiting; the shared read goes on
    }

    private static ImmutableArray<string> Bounded(IEnumerable<string> values) =>
        [.. values.Where(v => v.Length is > 0 and <= VouchedIdentity.MaxName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(VouchedIdentity.MaxEntries)];
}
