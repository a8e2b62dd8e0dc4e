using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Reference;
using Federation.Silo.Api;
using Federation.Silo.Api.Requests;

namespace Federation.Unit.Tests.Api;

public sealed class CatalogueRequestParserDatasetTests
{
    private static readonly Dictionary<string, Action<DatasetRequest>> s_breaks = new(StringComparer.Ordinal)
    {
        ["invalid id"] = r => r.Id = "Cancer_Registry",
        ["home nation not this nation"] = r => r.HomeNation = "DE",
        ["home nation malformed"] = r => r.HomeNation = "fr",
        ["negative size"] = r => r.SizeBytes = -1,
        ["missing size"] = r => r.SizeBytes = null,
        ["malformed sha256"] = r => r.Sha256 = "abc123",
        ["malformed licence"] = r => r.Licence = "MIT OR",
        ["unknown DUO permission"] = r => r.DataUse = new DataUseRequest { Permission = "ANY" },
        ["unknown modifier"] = r => r.DataUse!.Modifiers = ["GS", "XYZ"],
        ["DS without disease term"] = r => r.DataUse!.DiseaseTerm = null,
        ["GS without nations"] = r => r.DataUse!.Nations = null,
        ["listedNations residency without nations"] = r => r.Residency = new ResidencyRequest { Kind = "listedNations" },
        ["unknown residency kind"] = r => r.Residency = new ResidencyRequest { Kind = "nowhere" },
        ["missing data use"] = r => r.DataUse = null,
        ["relative location"] = r => r.Location = "data/set",
        ["bad tag"] = r => r.Tags = ["ok", "Not OK"],
    };

    public static TheoryData<string, string> BadInputs { get; } = new()
    {
        { "invalid id", "id" },
        { "home nation not this nation", "homeNation" },
        { "home nation malformed", "homeNation" },
        { "negative size", "sizeBytes" },
        { "missing size", "sizeBytes" },
        { "malformed sha256", "sha256" },
        { "malformed licence", "licence" },
        { "unknown DUO permission", "dataUse.permission" },
        { "unknown modifier", "dataUse.modifiers[1]" },
        { "DS without disease term", "dataUse.diseaseTerm" },
        { "GS without nations", "dataUse.nations" },
        { "listedNations residency without nations", "residency.nations" },
        { "unknown residency kind", "residency.kind" },
        { "missing data use", "dataUse" },
        { "relative location", "location" },
        { "bad tag", "tags[1]" },
    };

    private readonly CatalogueRequestParser _parser = new(ReferenceTables.Shipped);

    [Fact]
    public void ParseDataset_CompleteValidRequest_ReturnsTrustedSpec()
    {
        var errors = new ValidationErrors();

        var spec = _parser.ParseDataset(ParserSamples.Dataset(), ParserSamples.France, pathId: null, errors);

        Assert.True(errors.IsEmpty, errors.IsEmpty ? "" : errors.Summary());
        Assert.NotNull(spec);
        Assert.Equal("cancer-registry", spec.Id.Value);
        Assert.Equal(ParserSamples.France.Code, spec.HomeNation);
        Assert.Equal(123_456_789, spec.SizeBytes);
        Assert.Equal(ParserSamples.Sha256.ToLowerInvariant(), spec.Sha256.Value);
        Assert.Equal(new Uri("s3://registry/cancer/2024/"), spec.Location);
        Assert.Equal(["cancer", "registry"], spec.Tags);
        Assert.Equal(Visibility.Private, spec.Visibility);
        Assert.Equal(ResidencyKind.ListedNations, spec.Residency.Kind);
        Assert.Equal(["BE", "DE"], spec.Residency.Nations.Select(n => n.Value));
        Assert.Equal(DuoPermission.DS, spec.DataUse.Permission);
        Assert.Equal("MONDO:0004992", spec.DataUse.DiseaseTerm);
        Assert.Equal([DuoModifier.NCU, DuoModifier.GS], spec.DataUse.Modifiers);
        Assert.Equal(["DE", "FR"], spec.DataUse.Nations.Select(n => n.Value));
    }

    [Fact]
    public void ParseDataset_NoResidencyOrVisibility_TakesNationDefaults()
    {
        var request = ParserSamples.Dataset();
        request.Residency = null;
        request.Visibility = null;
        request.HomeNation = null;
        var errors = new ValidationErrors();

        var spec = _parser.ParseDataset(request, ParserSamples.France, pathId: null, errors);

        Assert.NotNull(spec);
        Assert.Equal(ParserSamples.France.Policies.DefaultResidency, spec.Residency);
        Assert.Equal(ParserSamples.France.Policies.DefaultVisibility, spec.Visibility);
        Assert.Equal(ParserSamples.France.Code, spec.HomeNation);
    }

    [Fact]
    public void ParseDataset_BodyIdDiffersFromPath_NamesId()
    {
        var errors = new ValidationErrors();

        var spec = _parser.ParseDataset(ParserSamples.Dataset(), ParserSamples.France, pathId: "other-dataset", errors);

        Assert.Null(spec);
        Assert.Equal(["id"], errors.ToDictionary().Keys);
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void ParseDataset_BadInput_NamesOnlyItsField(string breakage, string field)
    {
        var request = ParserSamples.Dataset();
        s_breaks[breakage](request);
        var errors = new ValidationErrors();

        var spec = _parser.ParseDataset(request, ParserSamples.France, pathId: null, errors);

        Assert.Null(spec);
        var reported = errors.ToDictionary();
        Assert.Equal([field], reported.Keys);
        Assert.All(reported[field], message => Assert.False(string.IsNullOrWhiteSpace(message)));
    }

    [Fact]
    public void ParseDataset_InvalidId_MessageNamesValueAndRule()
    {
        var request = ParserSamples.Dataset();
        request.Id = "Cancer_Registry";
        var errors = new ValidationErrors();

        _parser.ParseDataset(request, ParserSamples.France, pathId: null, errors);

        var message = Assert.Single(errors.ToDictionary()["id"]);
        Assert.Contains("'Cancer_Registry'", message, StringComparison.Ordinal);
        Assert.Contains(IdSyntax.SlugRule, message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseDataset_SeveralBadFields_ReportsEachOne()
    {
        var request = ParserSamples.Dataset();
        request.Id = "";
        request.SizeBytes = -5;
        request.Sha256 = "nope";
        var errors = new ValidationErrors();

        var spec = _parser.ParseDataset(request, ParserSamples.France, pathId: null, errors);

        Assert.Null(spec);
        Assert.Equal(["id", "sha256", "sizeBytes"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }
}
