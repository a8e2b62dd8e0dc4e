using System.Security.Cryptography;
using Federation.Transparency;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Transparency;

/// <summary>
/// What the rest of the silo calls to put a decision or access into the nation's log: stamps the
/// time, turns a person into an HMAC digest under the nation's secret, appends. A failed append is
/// logged and reported to the caller as false; the decision it records stands.
/// </summary>
public sealed partial class TransparencyRecorder : Federation.Grains.Jobs.IDecisionRecorder
{
    private readonly ITransparencyLog _log;
    private readonly TimeProvider _time;
    private readonly ILogger<TransparencyRecorder> _logger;
    private readonly byte[] _secret;

    /// <summary>Creates the recorder.</summary>
    public TransparencyRecorder(ITransparencyLog log, TimeProvider time, IOptions<TransparencyOptions> options, ILogger<TransparencyRecorder> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _log = log;
        _time = time;
        _logger = logger;
        _secret = options.Value.SubjectSecret is { } secret
            ? TransparencyOptionsValidator.SecretBytes(secret) ?? throw new OptionsValidationException(TransparencyOptions.Section, typeof(TransparencyOptions), ["SubjectSecret is not base64 of 32 bytes or more"])
            : RandomNumberGenerator.GetBytes(SubjectDigest.MinSecretBytes);
    }

    /// <summary>The digest under which <paramref name="subject"/> appears in this nation's log.</summary>
    public string Digest(string subject) => SubjectDigest.Compute(_secret, subject);

    /// <summary>Appends an entry of <paramref name="kind"/> now; <paramref name="subject"/> is a person's identifier, kept only as its digest.</summary>
    /// <returns>The row, or null when the append failed (logged).</returns>
    /// <remarks>The append is issued before the first await, so that it joins an open <see cref="Federation.Grains.Jobs.IWriteGrouping"/>.</remarks>
    public async Task<LoggedEntry?> RecordAsync(
        TransparencyEntryKind kind,
        string? job = null,
        string? dataset = null,
        string? peer = null,
        string? rule = null,
        string? subject = null,
        IEnumerable<KeyValuePair<string, string>>? detail = null,
        CancellationToken cancellationToken = default)
    {
        try
        {
            var entry = TransparencyEntry.Create(kind, _time.GetUtcNow(), job, dataset, peer, Clip(rule), subject is null ? null : Digest(subject), detail);
            return await _log.AppendAsync(entry, cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            LogAppendFailed(_logger, TransparencyEntryKinds.Name(kind), job ?? "-", e.Message);
            return null;
        }
    }

    private static string? Clip(string? rule) =>
        rule is { Length: > TransparencyEntry.MaxReference } ? rule[..TransparencyEntry.MaxReference] : rule;

    [LoggerMessage(EventId = 6101, Level = LogLevel.Error, Message = "Transparency log: the {Kind} entry for job {Job} was not appended: {Reason}")]
    private static partial void LogAppendFailed(ILogger logger, string kind, string job, string reason);
}
