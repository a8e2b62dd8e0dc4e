using Federation.Contracts.Ids;
using Federation.Reference;
using Federation.Silo.Api;
using Federation.Silo.Api.Requests;

namespace Federation.Unit.Tests.Api;

public sealed class CatalogueRequestParserModelTests
{
    private readonly CatalogueRequestParser _parser = new(ReferenceTables.Shipped);

    [Fact]
    public void ParseModel_CompleteValidRequest_ReturnsSpecWithLineage()
    {
        var errors = new ValidationErrors();

        var spec = _parser.ParseModel(ParserSamples.Model(), pathRef: null, errors);

        Assert.True(errors.IsEmpty, errors.IsEmpty ? "" : errors.Summary());
        Assert.NotNull(spec);
        Assert.Equal("sovereign-llm-7b@1.0", spec.Ref.ToString());
        Assert.Equal("base-7b@0.9", spec.BaseModel?.ToString());
        Assert.Equal(["FR/cancer-registry", "DE/genome-panel"], spec.Lineage.Datasets.Select(d => d.ToString()));
        Assert.Equal("FR/train-42", spec.Lineage.ProducingJob?.ToString());
        Assert.Equal(0.91, spec.Metrics["accuracy"]);
    }

    [Fact]
    public void ParseModel_MalformedLineageDataset_NamesItsIndex()
    {
        var request = ParserSamples.Model();
        request.Lineage = new LineageRequest { Datasets = ["cancer-registry", "DE/genome-panel"] };
        var errors = new ValidationErrors();

        var spec = _parser.ParseModel(request, pathRef: null, errors);

        Assert.Null(spec);
        var reported = errors.ToDictionary();
        Assert.Equal(["lineage.datasets[0]"], reported.Keys);
        Assert.Contains("'cancer-registry'", Assert.Single(reported["lineage.datasets[0]"]), StringComparison.Ordinal);
    }

    [Fact]
    public void ParseModel_MalformedSecondLineageDataset_NamesIndexOne()
    {
        var request = ParserSamples.Model();
        request.Lineage = new LineageRequest { Datasets = ["FR/cancer-registry", "fr/genome-panel"] };
        var errors = new ValidationErrors();

        _parser.ParseModel(request, pathRef: null, errors);

        Assert.Equal(["lineage.datasets[1]"], errors.ToDictionary().Keys);
    }

    [Fact]
    public void ParseModel_MalformedProducingJob_NamesIt()
    {
        var request = ParserSamples.Model();
        request.Lineage = new LineageRequest { Datasets = [], ProducingJob = "train-42" };
        var errors = new ValidationErrors();

        _parser.ParseModel(request, pathRef: null, errors);

        Assert.Equal(["lineage.producingJob"], errors.ToDictionary().Keys);
    }

    [Fact]
    public void ParseModel_NameDiffersFromPath_NamesName()
    {
        var errors = new ValidationErrors();

        _parser.ParseModel(ParserSamples.Model(), TypedId.Parse<ModelRef>("other@1.0"), errors);

        Assert.Equal(["name"], errors.ToDictionary().Keys);
    }
}
