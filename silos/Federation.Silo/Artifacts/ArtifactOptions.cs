namespace Federation.Silo.Artifacts;

/// <summary>
/// This nation's model artifact store (section <c>Federation:Artifacts</c>): a directory whose files
/// are named by their SHA-256 (<c>sha256/ab/cdef…</c>); nothing is read or written outside it.
/// </summary>
public sealed class ArtifactOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Artifacts";

    /// <summary>The default of <see cref="MaxBytes"/>: 4 GiB.</summary>
    public const long DefaultMaxBytes = 4L * 1024 * 1024 * 1024;

    /// <summary>
    /// Absolute directory of the store. Unset: <c>&lt;LocalApplicationData&gt;/federation/&lt;CODE&gt;/artifacts</c>
    /// (<see cref="DefaultRoot"/>).
    /// </summary>
    public string? Root { get; set; }

    /// <summary>The largest artifact accepted, in bytes (an upload or a pull beyond it is refused and nothing is kept).</summary>
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    /// <summary>How often the store is swept of orphaned bytes and stale partial writes (also once at start); default 1 hour.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a partial write or a file no model version names is left alone before a sweep removes it; default 1 hour.</summary>
    public TimeSpan SweepStaleAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A pull from a peer fails when no byte arrives for this long (an idle timeout, not a total one:
    /// a large artifact on a slow link still completes); default 60 seconds.
    /// </summary>
    public TimeSpan PullIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The allow-listed evaluation program (absolute path; the reference is the TorchSharp workload's
    /// <c>train.sh</c>), run as <c>program evaluate --manifest file.json</c>. Unset: this nation runs no evaluations.
    /// </summary>
    public string? EvaluationProgram { get; set; }

    /// <summary>The SHA-256 pin of <see cref="EvaluationProgram"/>: a program whose bytes differ is not started.</summary>
    public string? EvaluationProgramSha256 { get; set; }

    /// <summary>The longest an evaluation may run before it is stopped; default 10 minutes.</summary>
    public TimeSpan EvaluationTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The store used when none is configured (under the temporary folder when the user has no local application data folder).</summary>
    public static string DefaultRoot(string nationCode)
    {
        var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return Path.Combine(string.IsNullOrEmpty(local) ? Path.GetTempPath() : local, "federation", nationCode, "artifacts");
    }

    /// <summary><see cref="Root"/>, else <see cref="DefaultRoot"/>.</summary>
    public string RootFor(string nationCode) => string.IsNullOrWhiteSpace(Root) ? DefaultRoot(nationCode) : Root;
}
