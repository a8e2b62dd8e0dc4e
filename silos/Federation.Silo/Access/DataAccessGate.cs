using Federation.Contracts.Access;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Grains.Access;
using Federation.Lifecycle.Executions;
using Federation.Silo.Transparency;
using Federation.Transparency;

namespace Federation.Silo.Access;

/// <summary>
/// The home's grant check on every job offered on one of its controlled datasets (a local job is
/// offered to its own nation the same way): the owner the origin vouches for in the offer (its user,
/// or its consortium) must hold an approved grant of the origin's nation for this dataset, for the
/// job's DUO purpose, unexpired, unrevoked and carrying the committee's valid signature. A job from
/// another nation is judged on the identity its origin vouches for, not on the spec's word alone: the
/// user is the vouched subject, and a consortium's grant counts only when the origin vouches for the
/// user's membership of the job's consortium; an offer vouching for nobody is refused. Each
/// decision goes into the transparency log, with the user as its subject: a <c>data-access</c> entry
/// naming the grant, or a <c>refusal</c> with the rule <see cref="AdmissionRules.DataAccessGrant"/>.
/// </summary>
public sealed class DataAccessGate(IDataAccessGrantStore store, DataAccessCommittee committee, TransparencyRecorder recorder, TimeProvider time) : IDataAccessGate
{
    /// <inheritdoc />
    public async Task<string?> CheckAsync(JobOffer offer, DatasetRecord dataset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(dataset);
        var reference = new DatasetRef(dataset.Spec.HomeNation, dataset.Spec.Id);
        var (user, consortium, unvouched) = Grantee(offer, reference.Nation);
        DataAccessGrant? used;
        string reason;
        try
        {
            (used, reason) = unvouched is not null ? (null, unvouched) : await FindAsync(offer, reference, user, consortium, cancellationToken);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            (used, reason) = (null, $"the data-access grants of {reference} could not be read ({e.Message}); refused until they can be");
        }

        if (used is not null)
        {
            await recorder.RecordAsync(TransparencyEntryKind.DataAccess, offer.Job.ToString(), reference.ToString(), offer.Job.Origin.Value, subject: user,
                detail: [new("grant", used.Id), new("purpose", DataAccessGrantSignature.Code(offer.Spec.Purpose.Use)), new("grantee", used.User is null ? "consortium" : "user"), new("decision", "admitted")],
                cancellationToken: cancellationToken);
            return null;
        }

        // The person is the entry's subject (a digest); the reason in the log does not name them.
        var logged = reason.Replace($"user '{user}'", "the user (subject)", StringComparison.Ordinal);
        await recorder.RecordAsync(TransparencyEntryKind.Refusal, offer.Job.ToString(), reference.ToString(), offer.Job.Origin.Value, AdmissionRules.DataAccessGrant, user,
            [new("reason", logged.Length > TransparencyEntry.MaxDetailValue ? logged[..TransparencyEntry.MaxDetailValue] : logged)],
            cancellationToken);
        return reason;
    }

    /// <summary>
    /// Who the grant must name: the spec's owner for a job of the home itself (authenticated there); for a
    /// job from abroad the subject its origin vouches for, and the job's consortium only when the origin
    /// vouches for the user's membership of it. Unvouched: why the offer cannot be judged.
    /// </summary>
    internal static (string User, string? Consortium, string? Unvouched) Grantee(JobOffer offer, NationCode home)
    {
        var owner = offer.Spec.Owner;
        if (offer.Job.Origin == home)
        {
            return (owner.User, owner.Consortium, null);
        }

        if (offer.Identity is not { } identity || identity.Origin != offer.Job.Origin)
        {
            return (owner.User, null, $"{offer.Job.Origin} vouched for no user in its offer, and a controlled dataset of {home} is opened only to an identity the job's origin vouches for");
        }

        var vouched = owner.Consortium is { } c && !identity.Consortia.IsDefault && identity.Consortia.Contains(c, StringComparer.Ordinal) ? c : null;
        return (identity.Subject, vouched, null);
    }

    private async Task<(DataAccessGrant? Used, string Reason)> FindAsync(JobOffer offer, DatasetRef dataset, string user, string? consortium, CancellationToken ct)
    {
        var origin = offer.Job.Origin;
        var purpose = offer.Spec.Purpose;
        var who = consortium is { } c ? $"user '{user}' or consortium '{c}' of {origin}" : $"user '{user}' of {origin}";
        var candidates = (await store.ListAsync(dataset.Dataset, ct))
            .Where(g => g.Nation == origin && (g.User == user || (g.Consortium is not null && g.Consortium == consortium)))
            .ToList();
        if (candidates.Count == 0)
        {
            return (null, $"dataset {dataset} needs a data-access grant of {dataset.Nation}'s data access committee, and none names {who} (fedctl grants request {dataset.Dataset})");
        }

        var now = time.GetUtcNow();
        var failures = new List<string>();
        foreach (var grant in candidates)
        {
            var failure = grant.Status switch
            {
                DataAccessGrantStatus.Requested => $"grant {grant.Id} is requested, not approved",
                DataAccessGrantStatus.Revoked => $"grant {grant.Id} was revoked at {grant.RevokedAt:O}",
                _ when grant.ExpiresAt is not { } expires || expires <= now => $"grant {grant.Id} expired at {grant.ExpiresAt:O}",
                _ when grant.Purpose != purpose.Use => $"grant {grant.Id} is for purpose {DataAccessGrantSignature.Code(grant.Purpose)}, the job declares {DataAccessGrantSignature.Code(purpose.Use)}",
                _ when grant.DiseaseTerm is { } term && term != purpose.DiseaseTerm => $"grant {grant.Id} is for disease {term}, the job names {purpose.DiseaseTerm ?? "none"}",
                _ => await committee.VerifyAsync(grant, ct),
            };
            if (failure is null)
            {
                return (grant, "");
            }

            failures.Add(failure);
        }

        return (null, $"dataset {dataset} needs a valid data-access grant for {who}: {string.Join("; ", failures)}");
    }
}
