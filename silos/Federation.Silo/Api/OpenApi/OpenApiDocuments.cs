using System.Globalization;
using System.Text.Json.Nodes;
using Federation.Protocol.Roster;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Federation.Silo.Api.OpenApi;

/// <summary>
/// The two OpenAPI documents a nation serves: the user API (<c>/openapi/v1.json</c>, committed as
/// contracts/Federation.Contracts/openapi/user-v1.json) and the federation API
/// (<c>/openapi/federation-v1.json</c>, committed as contracts/Federation.Protocol/openapi/federation-v1.json).
/// Both are written so that a generated client works: typed ids as patterned strings, every query
/// parameter, problem+json errors, security schemes.
/// </summary>
public static class OpenApiDocuments
{
    /// <summary>The user API document's name.</summary>
    public const string UserDocument = "v1";

    /// <summary>The user API's security scheme: operator, reader and node-agent tokens.</summary>
    public const string BearerScheme = "bearer";

    /// <summary>The federation API's security scheme: a rostered nation's client certificate.</summary>
    public const string MutualTlsScheme = "mutualTLS";

    private static readonly Dictionary<string, string> s_tagDescriptions = new(StringComparer.Ordinal)
    {
        ["Datasets"] = "This nation's dataset catalogue: register, update, withdraw, delete, list and search.",
        ["GPU nodes"] = "This nation's GPU nodes: register, heartbeat, drain, list.",
        ["Models"] = "This nation's model artifacts, by name and version.",
        ["Nation"] = "This nation's profile: grid zone, PUE, policies.",
        ["Reference"] = "The reference tables every nation ships: accelerators and grid carbon intensity.",
        ["Admin"] = "Operations on the nation's own storage.",
        ["Jobs"] = "Jobs submitted to this nation, their events, logs and outputs, and the executions it runs for others.",
        ["Federation"] = "This nation's view of its peers and searches across the federation.",
        ["Routing"] = "Where a job would run, and why.",
        ["federation"] = "The federation API, served to rostered peers on the federation port.",
    };

    /// <summary>Registers the user API's document: only <c>/api/</c> routes (no dashboard, health or federation routes).</summary>
    public static IServiceCollection AddUserApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(UserDocument, options =>
        {
            options.ShouldInclude = description =>
                description.GroupName is null && description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            AddCommon(options);
            options.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document, "Federation user API", "v1",
                    "A nation's user API: its catalogue (datasets, GPU nodes, models), jobs, routing plans and federated search. " +
                    "A nation configured with tokens needs 'Authorization: Bearer <token>'; an embedded nation bound to loopback is open.");
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A token from the nation's configuration (Federation:Auth): operators may write, readers read, a node agent sends its node's heartbeats.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
                }

                return Task.CompletedTask;
            });
        });

    /// <summary>Configures the federation API's document (registered by the peering wiring).</summary>
    public static void ConfigureFederationDocument(OpenApiOptions options, string groupName)
    {
        // By default a document also takes the endpoints without a group (the user API's): not this one.
        options.ShouldInclude = description => description.GroupName == groupName;
        AddCommon(options);
        options.AddDocumentTransformer((document, _, _) =>
        {
            // Not the host's assembly name: the document is the same whoever serves it.
            Describe(document, "Federation API", ProtocolVersions.PathVersion,
                "Served by every nation to its rostered peers on the federation port (mutual TLS, SPKI-pinned roster).");
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
            document.Components.SecuritySchemes[MutualTlsScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.MutualTLS,
                Description = "The calling nation's client certificate; its SPKI SHA-256 pin must be on the shared roster. Clients pin the server's certificate too.",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(MutualTlsScheme, document)] = [] }];
            return Task.CompletedTask;
        });
    }

    private static void AddCommon(OpenApiOptions options)
    {
        // Typed ids are inlined where they are used, not components: a nullable use is written as
        // "oneOf: null or $ref", which generators (Kiota) read as an object wrapping the string.
        options.CreateSchemaReferenceId = type => TypedIdSchemas.Describes(type.Type) ? null : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        options.AddSchemaTransformer(TypedIdSchemas.TransformAsync);
        options.AddSchemaTransformer((schema, _, _) =>
        {
            // The web serializer defaults accept numbers written as strings, so the generator states
            // numbers as "integer or string" with a pattern; the API writes plain numbers, and a
            // generated client given the union would wrap every number in a composed type.
            if (schema.Type is { } type && (type & JsonSchemaType.String) != 0 && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0)
            {
                schema.Type = type & ~JsonSchemaType.String;
                schema.Pattern = null;
            }

            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            DescribeRawContent(operation, context.Description);
            var declared = context.Description.ActionDescriptor.EndpointMetadata.OfType<QueryParameter>().ToList();
            if (declared.Count > 0)
            {
                operation.Parameters ??= [];
                foreach (var parameter in declared)
                {
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = parameter.Name,
                        In = ParameterLocation.Query,
                        Required = parameter.Required,
                        Description = parameter.Description,
                        Schema = SchemaOf(parameter),
                    });
                }
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Logs, output files and dataset bytes: the generator writes no content for a success declared
    /// with a media type but no type, so a client would not know what comes back. State it as a
    /// string (binary unless text).
    /// </summary>
    private static void DescribeRawContent(OpenApiOperation operation, ApiDescription description)
    {
        var declaredRaw = description.ActionDescriptor.EndpointMetadata.OfType<IProducesResponseTypeMetadata>()
            .Where(m => m.StatusCode is >= 200 and < 300 and not 204 && (m.Type is null || m.Type == typeof(void)));
        foreach (var declared in declaredRaw)
        {
            if (operation.Responses?.GetValueOrDefault(declared.StatusCode.ToString(CultureInfo.InvariantCulture)) is not OpenApiResponse response)
            {
                continue;
            }

            response.Content ??= new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal);
            foreach (var mediaType in declared.ContentTypes)
            {
                if (!response.Content.TryGetValue(mediaType, out var existing) || existing.Schema is null)
                {
                    response.Content[mediaType] = new OpenApiMediaType
                    {
                        Schema = mediaType.StartsWith("text/", StringComparison.Ordinal)
                            ? new OpenApiSchema { Type = JsonSchemaType.String }
                            : new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                    };
                }
            }
        }
    }

    private static void Describe(OpenApiDocument document, string title, string version, string description)
    {
        document.Info.Title = title;
        document.Info.Version = version;
        document.Info.Description = description;
        document.Info.License = new OpenApiLicense { Name = "Apache-2.0", Identifier = "Apache-2.0" };

        // No servers: the document describes every nation's API, not the address it was fetched from.
        document.Servers = null;
        var used = document.Paths.Values
            .SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
            .SelectMany(o => o.Tags ?? Enumerable.Empty<OpenApiTagReference>())
            .Select(t => t.Name)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        document.Tags = new HashSet<OpenApiTag>(used.Select(name => new OpenApiTag
        {
            Name = name,
            Description = s_tagDescriptions.GetValueOrDefault(name, name),
        }));
    }

    private static OpenApiSchema SchemaOf(QueryParameter parameter)
    {
        var schema = new OpenApiSchema
        {
            Type = parameter.Type,
            Pattern = parameter.Pattern,
            Minimum = parameter.Minimum,
            Maximum = parameter.Maximum,
            MaxLength = parameter.MaxLength,
        };
        if (parameter.Allowed is { } allowed)
        {
            schema.Enum = [.. allowed.Select(a => (JsonNode)JsonValue.Create(a))];
        }

        if (parameter.Default is { } value)
        {
            schema.Default = parameter.Type switch
            {
                JsonSchemaType.Integer => JsonValue.Create(int.Parse(value, CultureInfo.InvariantCulture)),
                JsonSchemaType.Boolean => JsonValue.Create(bool.Parse(value)),
                _ => JsonValue.Create(value),
            };
        }

        return schema;
    }
}
