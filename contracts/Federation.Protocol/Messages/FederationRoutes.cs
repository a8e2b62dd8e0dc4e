namespace Federation.Protocol.Messages;

/// <summary>
/// The routes of the federation API. A sender posts to the full route (relative to the peer's base
/// address, e.g. <see cref="Offers"/>); a receiver maps the path (e.g. <see cref="OffersPath"/>) on the
/// group at <see cref="Prefix"/>. Both come from the same constants, so they cannot drift apart.
/// </summary>
public static class FederationRoutes
{
    /// <summary>The version segment every federation route starts with.</summary>
    public const string Version = "federation/v1";

    /// <summary>The receiver's route group, <c>/federation/v1</c>.</summary>
    public const string Prefix = "/" + Version;

    /// <summary>Who is calling whom, under <see cref="Prefix"/>.</summary>
    public const string HelloPath = "/hello";

    /// <summary>Offers, under <see cref="Prefix"/>.</summary>
    public const string OffersPath = "/jobs/offers";

    /// <summary>Execution reports and give-backs, under <see cref="Prefix"/>.</summary>
    public const string ReportsPath = "/jobs/reports";

    /// <summary>Cancellations and fences, under <see cref="Prefix"/>.</summary>
    public const string CancellationsPath = "/jobs/cancellations";

    /// <summary>Lease renewals, under <see cref="Prefix"/>.</summary>
    public const string LeasesPath = "/jobs/leases";

    /// <summary>Batches of job messages (offers, reports, renewals, cancellations), under <see cref="Prefix"/>.</summary>
    public const string BatchesPath = "/jobs/batches";

    /// <summary>Offers, to the executing nation.</summary>
    public const string Offers = Version + OffersPath;

    /// <summary>Execution reports and give-backs, to the origin.</summary>
    public const string Reports = Version + ReportsPath;

    /// <summary>Cancellations and fences, to the executing nation.</summary>
    public const string Cancellations = Version + CancellationsPath;

    /// <summary>Lease renewals, to the origin.</summary>
    public const string Leases = Version + LeasesPath;

    /// <summary>Batches of job messages, to a nation that advertises them in its hello.</summary>
    public const string Batches = Version + BatchesPath;

    /// <summary>Who is calling whom, sent.</summary>
    public const string Hello = Version + HelloPath;

    /// <summary>Capability adverts, received (under <see cref="Prefix"/>).</summary>
    public const string AdvertsPath = "/adverts";

    /// <summary>Capability adverts, sent.</summary>
    public const string Adverts = Version + AdvertsPath;

    /// <summary>The public catalogue's datasets, received (under <see cref="Prefix"/>).</summary>
    public const string DatasetsPath = "/catalogue/datasets";

    /// <summary>The public catalogue's models, received (under <see cref="Prefix"/>).</summary>
    public const string ModelsPath = "/catalogue/models";

    /// <summary>One public dataset, received (under <see cref="Prefix"/>).</summary>
    public const string DatasetPath = DatasetsPath + "/{id}";

    /// <summary>One public dataset's bytes, received (under <see cref="Prefix"/>).</summary>
    public const string DatasetContentPath = DatasetPath + "/content";

    /// <summary>A peer's public catalogue collection (<c>datasets</c> or <c>models</c>), sent.</summary>
    public static string Catalogue(string collection) => $"{Version}/catalogue/{collection}";

    /// <summary>One public dataset of a peer, sent.</summary>
    public static string Dataset(string id) => $"{Version}{DatasetsPath}/{Uri.EscapeDataString(id)}";

    /// <summary>One public dataset's bytes at a peer, sent.</summary>
    public static string DatasetContent(string id) => Dataset(id) + "/content";
}
