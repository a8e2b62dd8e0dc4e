using System.Text;
using System.Text.Json;

namespace Federation.Silo.Api;

/// <summary>
/// The shape rules every JSON body of both APIs obeys before it is bound to a type: text without
/// control characters or broken surrogates (PostgreSQL's jsonb refuses NUL, terminals obey ESC),
/// bounded strings, arrays and depth, no member twice in one object, and no <c>null</c> inside an array. Checked once here so that
/// no field can forget them.
/// </summary>
public static class JsonShape
{
    /// <summary>Longest string (value or member name), in UTF-16 code units.</summary>
    public const int MaxStringLength = 16 * 1024;

    /// <summary>Most elements in one array (the batch endpoint's 1000 jobs fit).</summary>
    public const int MaxArrayLength = 4096;

    /// <summary>Deepest nesting of objects and arrays.</summary>
    public const int MaxDepth = 32;

    /// <summary>The first place that breaks a rule, as a camelCase path and the rule, or null when the body obeys them all.</summary>
    /// <remarks>Malformed JSON is left to the deserializer, which names the position.</remarks>
    public static (string Path, string Rule)? Check(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth + 1, CommentHandling = JsonCommentHandling.Disallow });
        var frames = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (Element(frames) is { } start)
                        {
                            return start;
                        }

                        if (frames.Count >= MaxDepth)
                        {
                            return (PathOf(frames), $"nests deeper than {MaxDepth} levels");
                        }

                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        frames[^1].Name = name;
                        if (TextRule(name) is { } nameRule)
                        {
                            return (PathOf(frames), "member name " + nameRule);
                        }

                        if (!frames[^1].FirstTime(name))
                        {
                            return (PathOf(frames), "appears more than once in its object; send each member once");
                        }

                        break;
                    case JsonTokenType.String:
                        if (Element(frames) is { } atString)
                        {
                            return atString;
                        }

                        if (TextRule(reader.GetString()!) is { } rule)
                        {
                            return (PathOf(frames), rule);
                        }

                        break;
                    case JsonTokenType.Null:
                        if (frames.Count > 0 && frames[^1].IsArray)
                        {
                            Element(frames);
                            return (PathOf(frames), "must not be null: remove the element or give a value");
                        }

                        break;
                    default:
                        if (Element(frames) is { } atValue)
                        {
                            return atValue;
                        }

                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return (PathOf(frames), "is not valid Unicode text (an unpaired surrogate escape)");
        }

        return null;
    }

    /// <summary>Why <paramref name="text"/> may not be stored as text, or null when it may.</summary>
    public static string? TextRule(string text)
    {
        if (text.Length > MaxStringLength)
        {
            return $"must be at most {MaxStringLength} characters, got {text.Length}";
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsForbiddenControl(c))
            {
                return $"must not contain control characters (found U+{(int)c:X4} at position {i})";
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"is not valid Unicode text (unpaired surrogate at position {i})";
            }
        }

        return null;
    }

    /// <summary>C0 and C1 controls and DEL; tab, line feed and carriage return are text.</summary>
    public static bool IsForbiddenControl(char c) => char.IsControl(c) && c is not '\t' and not '\n' and not '\r';

    // Counts a value inside an array and refuses the one past the bound.
    private static (string Path, string Rule)? Element(List<Frame> frames)
    {
        if (frames.Count == 0 || !frames[^1].IsArray)
        {
            return null;
        }

        var frame = frames[^1];
        frame.Index++;
        if (frame.Index >= MaxArrayLength)
        {
            frame.Index = -1;
            return (PathOf(frames), $"must have at most {MaxArrayLength} elements");
        }

        return null;
    }

    private static string PathOf(List<Frame> frames)
    {
        var path = new StringBuilder();
        foreach (var frame in frames)
        {
            if (frame.IsArray)
            {
                if (frame.Index >= 0)
                {
                    path.Append('[').Append(frame.Index).Append(']');
                }
            }
            else if (frame.Name is { } name)
            {
                if (path.Length > 0)
                {
                    path.Append('.');
                }

                path.Append(Printable(name));
            }
        }

        return path.Length == 0 ? "$" : path.ToString();
    }

    /// <summary><paramref name="text"/> with forbidden controls and surrogates escaped as <c>\uXXXX</c>, safe to echo in a problem.</summary>
    public static string Printable(string text)
    {
        if (!text.Any(c => IsForbiddenControl(c) || char.IsSurrogate(c)))
        {
            return text;
        }

        var printable = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (IsForbiddenControl(c) || char.IsSurrogate(c))
            {
                printable.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                printable.Append(c);
            }
        }

        return printable.ToString();
    }

    private sealed class Frame(bool isArray)
    {
        private List<string>? _names;
        private HashSet<string>? _many;

        public bool IsArray { get; } = isArray;

        public int Index { get; set; } = -1;

        public string? Name { get; set; }

        /// <summary>True the first time this object names <paramref name="name"/> (a list while the object is small, then a set).</summary>
        public bool FirstTime(string name)
        {
            if (_many is not null)
            {
                return _many.Add(name);
            }

            _names ??= new List<string>(8);
            if (_names.Contains(name, StringComparer.Ordinal))
            {
                return false;
            }

            _names.Add(name);
            if (_names.Count > 16)
            {
                _many = new HashSet<string>(_names, StringComparer.Ordinal);
                _names = null;
            }

            return true;
        }
    }
}
