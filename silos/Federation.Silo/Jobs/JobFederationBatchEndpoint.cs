using System.Text.Json;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Grains.Diagnostics;
using Federation.Protocol.Messages;
using Federation.Protocol.Wire;
using Federation.Silo.Api;
using Federation.Silo.Jobs.Dispatch;
using Federation.Silo.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Jobs;

/// <summary>
/// <c>POST /federation/v1/jobs/batches</c>: many job messages from one peer in one request. Each entry is
/// read, checked and delivered exactly as on its own route (the same checks in <see cref="JobFederationEndpoints"/>,
/// the same handler in <see cref="FederationDispatch"/>) and answered on its own, so one bad entry never
/// fails the others: its problem names the entry index and the field (<c>entries[3].body.epoch</c>).
/// Entries of one job are delivered in their order; different jobs at once. A batch over this nation's
/// <see cref="MessageBatchOptions"/> (entries or bytes) is refused whole with 413.
/// </summary>
public static class JobFederationBatchEndpoint
{
    /// <summary>Maps the endpoint on the <c>/federation/v1</c> group.</summary>
    public static void MapJobFederationBatchEndpoint(this RouteGroupBuilder group) =>
        group.MapPost(FederationRoutes.BatchesPath, BatchAsync).WithName("FederationMessageBatch")
            .WithSummary("Several job messages (offers, reports, lease renewals, cancellations) in one request, each answered on its own.")
            .Accepts<MessageBatch>("application/json").Produces<MessageBatchAnswer>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);

    /// <summary>What this nation accepts in one batch, as its <c>hello</c> advertises it; null when it takes none.</summary>
    public static BatchLimits? Limits(MessageBatchOptions batches, FederationOptions federation)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(federation);
        return batches.Enabled ? new BatchLimits(batches.MaxMessages, Math.Min(batches.MaxBytes, federation.MaxRequestBodyBytes)) : null;
    }

    private static async Task<IResult> BatchAsync(HttpContext http, IOptions<MessageBatchOptions> batchOptions, IOptions<FederationOptions> federationOptions)
    {
        if (Limits(batchOptions.Value, federationOptions.Value) is not { } limits)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Batches are turned off", $"This nation takes one job message per request ({MessageBatchOptions.Section}:Enabled is false); its hello does not advertise batches.");
        }

        if (http.Request.ContentLength > limits.MaxBytes)
        {
            return TooLarge($"The batch is {http.Request.ContentLength} bytes; this nation takes at most {limits.MaxBytes} ({MessageBatchOptions.Section}:MaxBytes, as its hello advertises).");
        }

        var (batch, problem) = await JsonBody.ReadAsync<MessageBatch>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        if (batch!.Entries is not { Count: > 0 } entries)
        {
            return Problems.Invalid("entries", "is required: 1 or more job messages");
        }

        if (entries.Count > limits.MaxMessages)
        {
            return TooLarge($"The batch has {entries.Count} entries; this nation takes at most {limits.MaxMessages} ({MessageBatchOptions.Section}:MaxMessages, as its hello advertises).");
        }

        var peer = JobFederationEndpoints.Peer(http);
        var outcomes = new MessageBatchOutcome[entries.Count];

        // Entries of one job keep their order (a report after the offer it answers); other jobs go at once.
        var groups = Enumerable.Range(0, entries.Count).GroupBy(i => JobOf(entries[i]) ?? $"#{i}", StringComparer.Ordinal);
        await Task.WhenAll(groups.Select(async group =>
        {
            foreach (var index in group)
            {
                outcomes[index] = await OutcomeAsync(index, entries[index], peer, http.RequestServices);
            }
        }));
        return TypedResults.Ok(new MessageBatchAnswer { Entries = outcomes });
    }

    private static async Task<MessageBatchOutcome> OutcomeAsync(int index, MessageBatchEntry? entry, NationCode peer, IServiceProvider services)
    {
        var at = $"entries[{index}]";
        var errors = new ValidationErrors();
        if (entry is null)
        {
            errors.Add(at, "must be a job message, not null");
        }
        else
        {
            if (entry.Id is not { } id || id == Guid.Empty)
            {
                errors.Add(at + ".id", "is required: the message's request id, a UUID");
            }

            if (entry.Kind is null || services.GetRequiredService<FederationDispatch>().ForBatchKind(entry.Kind) is null)
            {
                errors.Add(at + ".kind", $"is required: one of {string.Join(", ", MessageBatchKinds.All)}");
            }

            if (entry.Body is not { ValueKind: JsonValueKind.Object })
            {
                errors.Add(at + ".body", "is required: the message's body, a JSON object as on its own route");
            }

            if (entry.TraceParent is not null && !JobTracing.IsTraceParent(entry.TraceParent))
            {
                errors.Add(at + ".traceParent", "must be a W3C traceparent: 00-<32 hex>-<16 hex>-<2 hex>, or absent");
            }
        }

        if (!errors.IsEmpty)
        {
            return await Outcome(index, entry?.Id, Problems.Invalid(errors), at);
        }

        // The entry is handled under its sender's span, as a message sent alone is under its `traceparent` header.
        using var span = JobTracing.StartUnder($"receive {entry!.Kind}", JobOf(entry) ?? "", entry.TraceParent, System.Diagnostics.ActivityKind.Consumer);
        IResult result;
        try
        {
            result = entry.Kind switch
            {
                MessageBatchKinds.Offer => await JobFederationEndpoints.HandleOfferAsync(Read<OfferRequest>(entry, services), peer, services, entry.Id),
                MessageBatchKinds.Report => await JobFederationEndpoints.HandleReportAsync(Read<ExecutionReport>(entry, services), peer, services, entry.Id),
                MessageBatchKinds.Renewal => await JobFederationEndpoints.HandleRenewalAsync(Read<LeaseRenewal>(entry, services), peer, services, entry.Id),
                _ => await JobFederationEndpoints.HandleCancellationAsync(Read<JobCancellation>(entry, services), peer, services, entry.Id),
            };
        }
        catch (JsonException e)
        {
            result = Problems.Invalid(JsonBody.PathOf(e), JsonBody.Describe(e));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The sender keeps the message in its outbox and sends it again, as after a 500 on its own route.
            result = Problems.Status(StatusCodes.Status500InternalServerError, "The message could not be delivered", $"The receiving grain failed ({e.GetType().Name}); send the message again.");
        }

        return await Outcome(index, entry!.Id, result, at + ".body");
    }

    private static T Read<T>(MessageBatchEntry entry, IServiceProvider services) where T : class =>
        entry.Body!.Value.Deserialize<T>(JsonBody.StrictFor(services)) ?? throw new JsonException("a JSON object is required");

    /// <summary>The entry's answer, or its problem with every field named from the batch's root.</summary>
    private static Task<MessageBatchOutcome> Outcome(int index, Guid? id, IResult result, string at)
    {
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        JsonElement? answer = null;
        JsonElement? problem = null;
        if (result is ProblemHttpResult { ProblemDetails: var details })
        {
            if (details is HttpValidationProblemDetails validation)
            {
                var rebased = validation.Errors.ToDictionary(
                    e => e.Key.StartsWith("entries[", StringComparison.Ordinal) ? e.Key : e.Key == "$" ? at : $"{at}.{e.Key}",
                    e => e.Value,
                    StringComparer.Ordinal);
                validation.Errors.Clear();
                foreach (var (field, rules) in rebased)
                {
                    validation.Errors[field] = rules;
                }
            }

            details.Detail = $"entries[{index}]: {details.Detail}";
            details.Extensions["entry"] = index;
            problem = JsonSerializer.SerializeToElement(details, details.GetType(), JsonSerializerOptions.Web);
        }
        else if (result is IValueHttpResult { Value: { } value })
        {
            answer = JsonSerializer.SerializeToElement(value, value.GetType(), FederationJson.Options);
        }

        return Task.FromResult(new MessageBatchOutcome { Index = index, Id = id is { } g && g != Guid.Empty ? g : null, Status = status, Answer = answer, Problem = problem });
    }

    private static string? JobOf(MessageBatchEntry? entry) =>
        entry?.Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("job", out var job) && job.ValueKind == JsonValueKind.String
            ? job.GetString()
            : null;

    private static ProblemHttpResult TooLarge(string detail) =>
        Problems.Status(StatusCodes.Status413PayloadTooLarge, "Batch too large", detail + " Send fewer messages per batch.");
}
