using Federation.Contracts.Catalogue.Datasets;

namespace Federation.Silo.Demo;

/// <summary>One dataset of a demo nation: its terms, and how to generate its file.</summary>
/// <param name="Id">Dataset id.</param>
/// <param name="Title">Title.</param>
/// <param name="Description">Description.</param>
/// <param name="Tags">Search tags.</param>
/// <param name="Residency">Where it may be processed.</param>
/// <param name="DataUse">Its DUO conditions.</param>
/// <param name="Header">The CSV header line.</param>
/// <param name="Rows">How many rows the file has.</param>
/// <param name="Row">Row <c>i</c> of the file from a deterministic random source.</param>
public sealed record DemoDataset(
    string Id,
    string Title,
    string Description,
    string[] Tags,
    Residency Residency,
    DataUseConditions DataUse,
    string Header,
    int Rows,
    Func<int, DemoRandom, string> Row)
{
    /// <summary>Its steward's export policy; nothing leaves home unless set.</summary>
    public ExportPolicy Exports { get; init; }
}
