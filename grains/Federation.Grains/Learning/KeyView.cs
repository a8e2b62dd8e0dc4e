using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Federation.Contracts.Ids;

namespace Federation.Grains.Learning;

/// <summary>
/// The roster of federation keys as a participant's decider reads it: looked up in the key directory when
/// asked, so that keys learnt after the decider was made (a new round's contributors) are seen. It lists
/// the nations it has found so far.
/// </summary>
internal sealed class KeyView(IRunKeyDirectory keys) : IReadOnlyDictionary<NationCode, ECDsa>
{
    private readonly Dictionary<NationCode, ECDsa> _found = [];

    public ECDsa this[NationCode key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No federation key of {key} is known here.");

    public IEnumerable<NationCode> Keys => _found.Keys;

    public IEnumerable<ECDsa> Values => _found.Values;

    public int Count => _found.Count;

    public bool ContainsKey(NationCode key) => TryGetValue(key, out _);

    public bool TryGetValue(NationCode key, [MaybeNullWhen(false)] out ECDsa value)
    {
        value = keys.Find(key);
        if (value is null)
        {
            return false;
        }

        _found[key] = value;
        return true;
    }

    public IEnumerator<KeyValuePair<NationCode, ECDsa>> GetEnumerator() => _found.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
