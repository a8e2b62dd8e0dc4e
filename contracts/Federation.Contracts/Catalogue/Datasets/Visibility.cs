namespace Federation.Contracts.Catalogue.Datasets;

/// <summary>Who may see a dataset's metadata outside its home nation.</summary>
public enum Visibility
{
    /// <summary>Metadata is listed in the federated catalogue.</summary>
    Public = 0,

    /// <summary>Metadata stays in the home nation; peers see nothing.</summary>
    Private = 1,
}
