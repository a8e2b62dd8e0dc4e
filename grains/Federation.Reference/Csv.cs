using System.Text;

namespace Federation.Reference;

/// <summary>A small RFC 4180 reader for the shipped tables (quoted fields, doubled quotes, LF or CRLF).</summary>
public static class Csv
{
    /// <summary>Reads rows as dictionaries keyed by the header row's names.</summary>
    public static List<Dictionary<string, string>> Read(TextReader reader)
    {
        var rows = ReadRows(reader).ToList();
        if (rows.Count == 0)
        {
            return [];
        }

        var header = rows[0];
        return rows.Skip(1)
            .Where(r => r.Count > 1 || (r.Count == 1 && r[0].Length > 0))
            .Select(r => header.Select((h, i) => (h, v: i < r.Count ? r[i] : "")).ToDictionary(p => p.h, p => p.v, StringComparer.Ordinal))
            .ToList();
    }

    private static IEnumerable<List<string>> ReadRows(TextReader reader)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        field.Append('"');
                        reader.Read();
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    row.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    row.Add(field.ToString());
                    field.Clear();
                    yield return row;
                    row = [];
                    break;
                default:
                    field.Append(ch);
                    break;
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            yield return row;
        }
    }
}
