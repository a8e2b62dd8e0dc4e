using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Federation.Silo.Postgres;

/// <summary>One numbered migration file embedded in this assembly.</summary>
/// <param name="Version">The number the file name starts with.</param>
/// <param name="Name">The file name, such as <c>0001_orleans.sql</c>.</param>
/// <param name="Sql">The script's text.</param>
/// <param name="Checksum">SHA-256 of the text with line endings normalised to LF, lower-case hex.</param>
internal sealed record MigrationScript(int Version, string Name, string Sql, string Checksum)
{
    /// <summary>Prefix of the resources' logical names (see the project file).</summary>
    public const string ResourcePrefix = "Federation.Silo.Migrations.";

    /// <summary>The migrations embedded in <paramref name="assembly"/>, in ascending version order.</summary>
    public static IReadOnlyList<MigrationScript> LoadEmbedded(Assembly assembly)
    {
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[ResourcePrefix.Length..];
            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded migration '{name}' cannot be opened.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            scripts.Add(Create(name, reader.ReadToEnd()));
        }

        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Migrations {string.Join(" and ", duplicate.Select(s => s.Name))} share version {duplicate.Key}; each number may be used once.");
        }

        return [.. scripts.OrderBy(s => s.Version)];
    }

    /// <summary>Builds a script from its file name (which must start with its number) and text.</summary>
    public static MigrationScript Create(string name, string sql)
    {
        var digits = name.TakeWhile(char.IsAsciiDigit).Count();
        if (digits == 0 || digits >= name.Length || name[digits] != '_'
            || !int.TryParse(name.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version <= 0)
        {
            throw new InvalidOperationException(
                $"Migration file name '{name}' must start with a positive number and '_', such as 0003_jobs.sql.");
        }

        // Checksums must not depend on how git checked the file out.
        var normalised = sql.Replace("\r\n", "\n", StringComparison.Ordinal);
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
        return new MigrationScript(version, name, sql, checksum);
    }
}
