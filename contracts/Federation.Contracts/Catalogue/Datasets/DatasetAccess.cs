namespace Federation.Contracts.Catalogue.Datasets;

/// <summary>
/// Who may use a dataset besides what its data-use conditions say: with <see cref="RequiresGrant"/>,
/// every job on it needs an approval of its home nation's data access committee (a data-access
/// grant in the style of a GA4GH <c>ControlledAccessGrants</c> visa), checked at the home on every access.
/// </summary>
/// <param name="RequiresGrant">True when access is controlled: a signed, unexpired, unrevoked grant must name the job's user or consortium and purpose.</param>
[GenerateSerializer, Immutable, Alias("fed.DatasetAccess")]
public sealed record DatasetAccess([property: Id(0)] bool RequiresGrant)
{
    /// <summary>No grant needed (the default, and what catalogue documents without <c>access</c> mean).</summary>
    public static DatasetAccess Open { get; } = new(false);

    /// <summary>Every job needs a data-access grant.</summary>
    public static DatasetAccess Controlled { get; } = new(true);
}
