using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Federation.Silo.Api.OpenApi;

/// <summary>
/// Endpoint conventions that state, for the OpenAPI documents, what the API's shared machinery can
/// answer on any endpoint: the strict parsers' 400, the body reader's 413 and 415, authentication's
/// 401 and 403, the peering middleware's 400 and 403, storage's 503 — all as problem+json.
/// </summary>
public static class OpenApiConventions
{
    /// <summary>The media type of every error answer (RFC 9457).</summary>
    public const string ProblemJson = "application/problem+json";

    /// <summary>Describes the query parameters the handler reads (it keeps parsing them itself).</summary>
    public static TBuilder WithQuery<TBuilder>(this TBuilder builder, params QueryParameter[] parameters)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            foreach (var parameter in parameters)
            {
                endpoint.Metadata.Add(parameter);
            }
        });
        return builder;
    }

    /// <summary>
    /// The answers of a write guarded by the entry's version: 404 unknown, 409 conflict,
    /// 412 stale If-Match, and 428 when If-Match is required but missing.
    /// </summary>
    public static RouteHandlerBuilder ProducesVersionedWriteProblems(this RouteHandlerBuilder builder, bool ifMatchRequired)
    {
        builder.ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return ifMatchRequired ? builder.ProducesProblem(StatusCodes.Status428PreconditionRequired) : builder;
    }

    /// <summary>Adds the user API's shared problem answers to every endpoint of the group.</summary>
    public static TBuilder WithUserApiProblems<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            var problems = new ProblemSet(endpoint);
            if (endpoint.Metadata.OfType<IAuthorizeData>().Any() && !endpoint.Metadata.OfType<IAllowAnonymous>().Any())
            {
                problems.Add(StatusCodes.Status401Unauthorized);
                problems.Add(StatusCodes.Status403Forbidden);
            }

            problems.AddCommon();
        });
        return builder;
    }

    /// <summary>Adds the federation API's shared problem answers to every endpoint of the group.</summary>
    public static TBuilder WithFederationProblems<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            var problems = new ProblemSet(endpoint);

            // The peering middleware: a missing request id or another protocol version (400), a pin
            // no longer on the roster (403).
            problems.AddValidation();
            problems.Add(StatusCodes.Status403Forbidden);
            problems.AddCommon();
        });
        return builder;
    }

    private sealed class ProblemSet(EndpointBuilder endpoint)
    {
        private readonly HashSet<int> _described = [.. endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Select(m => m.StatusCode)];

        public void Add(int status) => Add(status, typeof(ProblemDetails));

        public void AddValidation() => Add(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails));

        public void AddCommon()
        {
            var body = endpoint.Metadata.OfType<IAcceptsMetadata>().Any();
            var path = endpoint is RouteEndpointBuilder route && route.RoutePattern.Parameters.Count > 0;
            if (body || path || endpoint.Metadata.OfType<QueryParameter>().Any())
            {
                AddValidation();
            }

            if (path)
            {
                Add(StatusCodes.Status404NotFound);
            }

            if (body)
            {
                Add(StatusCodes.Status413PayloadTooLarge);
                Add(StatusCodes.Status415UnsupportedMediaType);
            }

            // Storage or a peer that cannot be reached now (StorageUnavailableException and the like).
            Add(StatusCodes.Status503ServiceUnavailable);
        }

        private void Add(int status, Type type)
        {
            if (_described.Add(status))
            {
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, type, [ProblemJson]));
            }
        }
    }
}
