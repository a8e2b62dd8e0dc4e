using Federation.Contracts.Ids;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Federation.Silo.Api.OpenApi;

/// <summary>
/// Typed ids are JSON strings (their converter writes the text and parses it back with the id's own
/// rules), but a custom converter gives the schema generator nothing to describe. This transformer
/// states them as <c>type: string</c> with the pattern their <c>TryParse</c> enforces, so that a
/// generated client keeps, say, a job's nation code instead of losing it in an empty object.
/// </summary>
public static class TypedIdSchemas
{
    /// <summary>An ISO 3166-1 alpha-2 code in upper case (whether it is assigned is checked by the server).</summary>
    public const string NationCodePattern = "^[A-Z]{2}$";

    /// <summary><see cref="IdSyntax.SlugRule"/> as a regular expression.</summary>
    public const string SlugPattern = "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$";

    private const string Slug = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
    private const string Version = "[A-Za-z0-9][A-Za-z0-9._-]{0,31}";

    private static readonly Dictionary<Type, (string Pattern, string Description)> s_ids = new()
    {
        [typeof(NationCode)] = (NationCodePattern, NationCode.Rule),
        [typeof(DatasetId)] = (SlugPattern, "A dataset's id in its home nation: " + IdSyntax.SlugRule),
        [typeof(NodeId)] = (SlugPattern, "A GPU node's id: " + IdSyntax.SlugRule),
        [typeof(AcceleratorSlug)] = (SlugPattern, "An accelerator model's slug, such as h100-sxm: " + IdSyntax.SlugRule),
        [typeof(ModelName)] = (SlugPattern, "A model's name: " + IdSyntax.SlugRule),
        [typeof(ModelVersion)] = ($"^{Version}$", "A model's version: " + ModelVersion.Rule),
        [typeof(ModelRef)] = ($"^{Slug}@{Version}$", "A model artifact, written name@version."),
        [typeof(DatasetRef)] = ($"^[A-Z]{{2}}/{Slug}$", "A dataset anywhere in the federation, written <nation code>/<dataset id>, such as FR/cancer-registry."),
        [typeof(JobRef)] = ($"^[A-Z]{{2}}/{Slug}$", "A job's global id, written <origin nation code>/<job id>, such as FR/train-42."),
        [typeof(Sha256Digest)] = ("^[0-9a-fA-F]{64}$", "A SHA-256 digest: " + Sha256Digest.Rule),
        [typeof(SpdxExpression)] = ("^[A-Za-z0-9()][A-Za-z0-9().:+ -]{0,199}$", "A licence: " + SpdxExpression.Rule),
    };

    /// <summary>The typed id types this transformer describes.</summary>
    public static IReadOnlyCollection<Type> Types => s_ids.Keys;

    /// <summary>Whether <paramref name="type"/> is a typed id (or a nullable one) this transformer describes.</summary>
    public static bool Describes(Type type) => s_ids.ContainsKey(Nullable.GetUnderlyingType(type) ?? type);

    /// <summary>The pattern stated for <paramref name="type"/>.</summary>
    public static string PatternOf(Type type) => s_ids[type].Pattern;

    /// <summary>Rewrites the schema of a typed id (or a nullable one) as a string with its pattern.</summary>
    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        var underlying = Nullable.GetUnderlyingType(type);
        if (!s_ids.TryGetValue(underlying ?? type, out var id))
        {
            return Task.CompletedTask;
        }

        // Inlined at each use (see OpenApiDocuments), so a nullable id is a nullable string.
        schema.Type = underlying is null ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
        schema.Pattern = id.Pattern;
        schema.Description ??= id.Description;
        schema.Properties?.Clear();
        schema.Required?.Clear();
        return Task.CompletedTask;
    }
}
