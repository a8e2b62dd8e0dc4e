using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Jobs;

/// <summary>
/// Who a job's origin says its submitter is, carried in the offer (<see cref="JobOffer.Identity"/>).
/// The origin vouches for it: it authenticated the user (OpenID Connect or an API token) and the
/// offer travels over mutual TLS from the origin itself, so the receiver knows which nation speaks.
/// The receiver applies its own rules to it (which consortia it accepts, whether it takes students
/// from abroad); it never grants anything in the receiving nation by itself.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.VouchedIdentity")]
public sealed record VouchedIdentity
{
    /// <summary>Longest subject, consortium or course name carried.</summary>
    public const int MaxName = 300;

    /// <summary>Most consortia, courses or roles carried.</summary>
    public const int MaxEntries = 64;

    /// <summary>The nation that vouches: the job's origin.</summary>
    [Id(0)] public required NationCode Origin { get; init; }

    /// <summary>The user's subject at the origin (<c>{issuer name}:{sub}</c>, or a token's subject): the job's owner.</summary>
    [Id(1)] public required string Subject { get; init; }

    /// <summary>Consortia the user is a member (or lead) of at the origin.</summary>
    [Id(2)] public ImmutableArray<string> Consortia { get; init; } = [];

    /// <summary>Courses the user studies in at the origin (the student role's scopes).</summary>
    [Id(3)] public ImmutableArray<string> Courses { get; init; } = [];

    /// <summary>The roles the user holds at the origin (e.g. <c>student</c>, <c>consortium-member</c>).</summary>
    [Id(4)] public ImmutableArray<string> Roles { get; init; } = [];

    /// <summary>Whether the origin vouches for the user as a student (holds the student role or a course).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsStudent => Has(Roles, "student") || !Courses.IsDefaultOrEmpty;

    /// <inheritdoc />
    public bool Equals(VouchedIdentity? other) =>
        other is not null && Origin == other.Origin && Subject == other.Subject
        && Same(Consortia, other.Consortia) && Same(Courses, other.Courses) && Same(Roles, other.Roles);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Origin, Subject);

    private static bool Has(ImmutableArray<string> values, string value) => !values.IsDefault && values.Contains(value, StringComparer.Ordinal);

    private static bool Same(ImmutableArray<string> a, ImmutableArray<string> b) => (a.IsDefault ? [] : a).SequenceEqual(b.IsDefault ? [] : b, StringComparer.Ordinal);
}
