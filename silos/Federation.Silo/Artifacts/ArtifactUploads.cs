using Federation.Contracts.Catalogue;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Grains.Nations;
using Federation.Silo.Api;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Artifacts;

/// <summary>
/// Puts the bytes of a registered model version into the nation's artifact store: only bytes whose
/// SHA-256 the caller declared, equal to the digest and size the version's catalogue entry states;
/// anything else is refused with a problem naming the field, and nothing is stored. The bytes are
/// read and checked on every upload, also of a version whose artifact is stored already (200).
/// </summary>
public sealed partial class ArtifactUploads(
    ContentStore store,
    IArtifactMetadataStore metadata,
    IOptions<ArtifactOptions> options,
    IGrainFactory grains,
    LocalNation local,
    TimeProvider time,
    Federation.Silo.Transparency.TransparencyRecorder recorder,
    ILogger<ArtifactUploads> logger)
{
    /// <summary>
    /// Stores <paramref name="body"/> as the artifact of <paramref name="model"/>; the uploader is
    /// recorded only as the transparency log's keyed digest of <paramref name="uploadedBy"/> (a person is never shown raw).
    /// </summary>
    public async Task<ArtifactAnswer> UploadAsync(ModelRef model, Stream body, long? contentLength, Sha256Digest declared, string mediaType, string uploadedBy, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var record = await grains.GetGrain<IModelArtifactGrain>(model.GrainKey).GetAsync();
        if (record is null)
        {
            return ArtifactAnswer.Refused(Problems.Status(StatusCodes.Status404NotFound, "Not found",
                $"model {model} is not registered in {local.Code}: register it (POST /api/v1/models) with the artifact's sha256 and sizeBytes, then upload its bytes"));
        }

        if (record.Status != CatalogueStatus.Active)
        {
            return ArtifactAnswer.Refused(Problems.Status(StatusCodes.Status409Conflict, "Model withdrawn", $"model {model} is withdrawn: its artifact is not accepted"));
        }

        if (record.Spec.Sha256 != declared)
        {
            return ArtifactAnswer.Refused(Problems.Invalid("sha256",
                $"the declared sha256 {declared} is not the one the catalogue entry of {model} states ({record.Spec.Sha256}); upload those bytes, or register a new version"));
        }

        var max = options.Value.MaxBytes;
        if (contentLength > max || record.Spec.SizeBytes > max)
        {
            return ArtifactAnswer.Refused(TooLarge(model, Math.Max(contentLength ?? 0, record.Spec.SizeBytes), max));
        }

        var written = await store.WriteAsync(body, declared, record.Spec.SizeBytes, max, ct);
        switch (written.Outcome)
        {
            case ContentWriteOutcome.DigestMismatch:
                LogRefused(logger, model, $"sha256 {written.Actual} of {written.Received} bytes, declared {declared}");
                return ArtifactAnswer.Refused(Problems.Status(StatusCodes.Status422UnprocessableEntity, "Checksum mismatch",
                    $"the bytes sent hash to sha256 {written.Actual}, not the declared {declared}: nothing was stored",
                    new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["sha256"] = [$"the bytes hash to {written.Actual}, not {declared}"] } }));
            case ContentWriteOutcome.SizeMismatch:
                LogRefused(logger, model, $"{written.Received} bytes or more, catalogue states {record.Spec.SizeBytes}");
                return ArtifactAnswer.Refused(Problems.Status(StatusCodes.Status422UnprocessableEntity, "Size mismatch",
                    $"the catalogue entry of {model} states {record.Spec.SizeBytes} bytes; the upload had {(written.Received > record.Spec.SizeBytes ? "more" : written.Received.ToString(System.Globalization.CultureInfo.InvariantCulture))}: nothing was stored",
                    new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["sizeBytes"] = [$"the catalogue states {record.Spec.SizeBytes} bytes"] } }));
            case ContentWriteOutcome.TooLarge:
                return ArtifactAnswer.Refused(TooLarge(model, written.Received, max));
        }

        // The bytes are verified even when they were stored before: the answer says whether this version is new.
        if (await metadata.GetAsync(model, ct) is { } existing)
        {
            return existing.Sha256 == declared
                ? new ArtifactAnswer(existing, null)
                : ArtifactAnswer.Refused(Problems.Status(StatusCodes.Status409Conflict, "Another artifact recorded",
                    $"{model} was recorded with sha256 {existing.Sha256} before it was deleted and registered again; register a new version"));
        }

        var stored = await metadata.AddAsync(new ArtifactRecord(model, declared, written.Received, mediaType, recorder.Digest(uploadedBy), time.GetUtcNow(), local.Code), ct);
        LogStored(logger, model, declared, written.Received, written.Outcome == ContentWriteOutcome.AlreadyStored);
        return new ArtifactAnswer(stored, null, Created: true);
    }

    /// <summary>The 413 of an artifact over <see cref="ArtifactOptions.MaxBytes"/>.</summary>
    public static IResult TooLarge(ModelRef model, long bytes, long max) => Problems.Status(StatusCodes.Status413PayloadTooLarge, "Artifact too large",
        $"the artifact of {model} ({bytes} bytes or more) exceeds this nation's limit of {max} bytes (Federation:Artifacts:MaxBytes): nothing was stored");

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Artifact of {Model} stored: sha256 {Sha256}, {Bytes} bytes (already in the store: {Shared})")]
    private static partial void LogStored(ILogger logger, ModelRef model, Sha256Digest sha256, long bytes, bool shared);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Artifact upload of {Model} refused, nothing stored: {Reason}")]
    private static partial void LogRefused(ILogger logger, ModelRef model, string reason);
}
