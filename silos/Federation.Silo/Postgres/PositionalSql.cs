using System.Text;

namespace Federation.Silo.Postgres;

/// <summary>
/// Statements with named placeholders (<c>@Name</c>) rewritten once, at start, to PostgreSQL's
/// positional ones (<c>$1</c>). Npgsql parses and rewrites the text of every command that has named
/// parameters, on every execution (a string and a parse per command of a group commit's batch);
/// commands whose parameters have no names are sent as they are.
/// </summary>
public static class PositionalSql
{
    /// <summary>
    /// <paramref name="sql"/> with each <c>@name</c> replaced by <c>$n</c>, n the name's place (from 1) in
    /// <paramref name="names"/> (compared ignoring case, as Npgsql does). Text in quotes (<c>'...'</c>,
    /// <c>"..."</c>), <c>--</c> comments and <c>@</c> that starts no name (an operator) are left alone.
    /// Throws when a placeholder is not in <paramref name="names"/> or a name is never used (the parameters
    /// would not line up), and on what this reader does not follow: <c>/*</c> comments, <c>$</c> (dollar
    /// quotes, placeholders already positional) and <c>E'...'</c> strings, in which a placeholder could be
    /// missed and then read by PostgreSQL as its <c>@</c> (absolute value) operator.
    /// </summary>
    public static string Rewrite(string sql, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(names);
        var used = new bool[names.Count];
        var text = new StringBuilder(sql.Length);
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '$' || (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
                || (c is 'E' or 'e' && i + 1 < sql.Length && sql[i + 1] == '\'' && (i == 0 || !IsNamePart(sql[i - 1]))))
            {
                throw new ArgumentException($"The statement has {sql.Substring(i, Math.Min(2, sql.Length - i))} at {i}, which this rewriting does not follow; write it without.", nameof(sql));
            }

            if (c is '\'' or '"')
            {
                var end = sql.IndexOf(c, i + 1);
                end = end < 0 ? sql.Length : end + 1;
                text.Append(sql, i, end - i);
                i = end;
            }
            else if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                var end = sql.IndexOf('\n', i);
                end = end < 0 ? sql.Length : end;
                text.Append(sql, i, end - i);
                i = end;
            }
            else if (c == '@' && i + 1 < sql.Length && IsNameStart(sql[i + 1]))
            {
                var end = i + 1;
                while (end < sql.Length && IsNamePart(sql[end]))
                {
                    end++;
                }

                var name = sql[(i + 1)..end];
                var index = IndexOf(names, name);
                if (index < 0)
                {
                    throw new ArgumentException($"The statement's placeholder @{name} is not among its parameters ({string.Join(", ", names)}).", nameof(sql));
                }

                used[index] = true;
                text.Append('$').Append(index + 1);
                i = end;
            }
            else
            {
                text.Append(c);
                i++;
            }
        }

        var unused = names.Where((_, k) => !used[k]).ToList();
        if (unused.Count > 0)
        {
            throw new ArgumentException($"The statement does not use the parameter(s) {string.Join(", ", unused)}.", nameof(names));
        }

        return text.ToString();
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var k = 0; k < names.Count; k++)
        {
            if (string.Equals(names[k], name, StringComparison.OrdinalIgnoreCase))
            {
                return k;
            }
        }

        return -1;
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
