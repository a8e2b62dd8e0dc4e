namespace Federation.Silo.Api.Requests;

/// <summary>Who may use a dataset: <c>{"requiresGrant": true}</c> makes every job on it need a data-access grant.</summary>
public sealed class DatasetAccessRequest
{
    /// <summary>True: jobs need an approved data-access grant of this nation's data access committee; left out: false.</summary>
    public bool? RequiresGrant { get; set; }
}
