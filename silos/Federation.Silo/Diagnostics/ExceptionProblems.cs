using System.Net.Sockets;
using Federation.Contracts.Results;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Federation.Silo.Diagnostics;

/// <summary>
/// Turns exceptions into problem+json: an unreachable store or cluster is a 503 that says to
/// retry (nothing was acknowledged); anything else is a 500 carrying the trace id to find in the logs.
/// </summary>
public sealed partial class ExceptionProblems(IProblemDetailsService problems, ILogger<ExceptionProblems> logger) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        int status;
        string title;
        string detail;
        if (exception is BadHttpRequestException bad)
        {
            status = bad.StatusCode;
            title = "Bad request";
            detail = bad.Message;
        }
        else if (IsUnavailable(exception))
        {
            status = StatusCodes.Status503ServiceUnavailable;
            title = "Service unavailable";
            detail = "The nation's store or cluster is unreachable, so nothing was acknowledged. Retry shortly (see Retry-After); if it persists, check PostgreSQL and the silo logs.";
            httpContext.Response.Headers.RetryAfter = "2";
            LogUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetBaseException().Message);
        }
        else
        {
            status = StatusCodes.Status500InternalServerError;
            title = "Unexpected error";
            detail = $"The silo failed to handle the request; find trace id {httpContext.TraceIdentifier} in its logs.";
            LogUnexpected(logger, httpContext.Request.Method, httpContext.Request.Path, exception);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>True when the failure is an unreachable dependency rather than a bug.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is StorageUnavailableException or NpgsqlException or SocketException or TimeoutException
                or SiloUnavailableException or OrleansMessageRejectionException
                || (e is OrleansException && IsStorageMessage(e.Message)))
            {
                return true;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsUnavailable))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsStorageMessage(string message) =>
        message.Contains("storage", StringComparison.OrdinalIgnoreCase) || message.Contains("connection", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: {Cause}")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string cause);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogUnexpected(ILogger logger, string method, string path, Exception exception);
}
