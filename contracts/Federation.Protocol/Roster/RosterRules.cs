namespace Federation.Protocol.Roster;

/// <summary>
/// The rules by which a member applies a new roster version (pure; time is an argument). The
/// candidate must be the next version (number + 1), name the digest of the version in force as
/// previous, be a valid roster, and carry valid signatures of at least the quorum of the version in
/// force by members <em>of the version in force</em>, each with a pin of that nation valid now, so
/// that nobody can add themselves and a retired or revoked key approves nothing.
/// </summary>
public static class RosterRules
{
    /// <summary>Decides whether <paramref name="candidate"/> may replace <paramref name="current"/> at <paramref name="now"/>.</summary>
    public static RosterVerdict Check(SignedRoster current, SignedRoster candidate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(candidate);
        if (candidate.Version != current.Version + 1)
        {
            return RosterVerdict.Refused(candidate.Version <= current.Version
                ? $"version {candidate.Version} is not newer than version {current.Version} in force"
                : $"version {candidate.Version} does not follow version {current.Version} in force (expected {current.Version + 1})");
        }

        var digest = RosterSigning.Digest(current);
        if (!string.Equals(candidate.Previous, digest, StringComparison.Ordinal))
        {
            return RosterVerdict.Refused($"previous is '{candidate.Previous}' but version {current.Version} in force has digest '{digest}'");
        }

        var problems = candidate.Document.Validate();
        if (problems.Count > 0)
        {
            return RosterVerdict.Refused("the roster is invalid: " + string.Join("; ", problems));
        }

        if (candidate.Quorum is { } quorum && (quorum < 1 || quorum > candidate.Nations.Count))
        {
            return RosterVerdict.Refused($"quorum must be between 1 and the {candidate.Nations.Count} nations of the version, not {quorum}");
        }

        var canonical = RosterSigning.CanonicalBytes(candidate);
        var signers = new List<string>();
        var rejected = new List<string>();
        foreach (var signature in candidate.Signatures)
        {
            var member = current.Nations.FirstOrDefault(n => string.Equals(n.Code, signature.Nation, StringComparison.Ordinal));
            if (member is null)
            {
                rejected.Add($"{signature.Nation} is not a member of version {current.Version}");
            }
            else if (signers.Contains(member.Code, StringComparer.Ordinal))
            {
                rejected.Add($"{signature.Nation} signed twice (counted once)");
            }
            else if (!member.AcceptsPinAt(signature.Pin ?? string.Empty, now))
            {
                rejected.Add($"{signature.Nation}'s pin {signature.Pin} is not valid now on version {current.Version} (unknown, retired or revoked)");
            }
            else if (RosterSigning.Verify(signature, canonical) is { } invalid)
            {
                rejected.Add(invalid);
            }
            else
            {
                signers.Add(member.Code);
            }
        }

        var required = current.RequiredSignatures;
        return signers.Count >= required
            ? new RosterVerdict(true, null, signers, rejected)
            : RosterVerdict.Refused(
                $"version {candidate.Version} has {signers.Count} valid signature(s) of members of version {current.Version} ({(signers.Count == 0 ? "none" : string.Join(", ", signers))}); the quorum is {required}"
                + (rejected.Count == 0 ? string.Empty : "; not counted: " + string.Join("; ", rejected)),
                signers,
                rejected);
    }

    /// <summary>
    /// The next version after <paramref name="current"/> with <paramref name="nations"/> (unsigned):
    /// the number, the previous digest and the quorum rule (kept unless <paramref name="quorum"/> is given).
    /// </summary>
    public static SignedRoster Propose(SignedRoster current, IReadOnlyList<RosterEntry> nations, int? quorum = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(nations);
        return new SignedRoster(current.Version + 1, RosterSigning.Digest(current), quorum ?? current.Quorum, nations, []);
    }

    /// <summary>
    /// <paramref name="entry"/> after a key rotation at <paramref name="now"/>: <paramref name="newPin"/> becomes its
    /// only active pin, and its former active pins are retired, valid for <paramref name="grace"/> more.
    /// </summary>
    public static RosterEntry RotateKey(RosterEntry entry, string newPin, DateTimeOffset now, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!SpkiPin.IsWellFormed(newPin))
        {
            throw new ArgumentException($"the new pin '{newPin}' is not a base64 SHA-256 digest (44 characters)", nameof(newPin));
        }

        if (grace < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(grace), grace, "the grace period may not be negative");
        }

        // Whole seconds: the canonical form (what members sign) carries seconds.
        var end = now + grace;
        end = end.AddTicks(-(end.UtcTicks % TimeSpan.TicksPerSecond));
        var retired = (entry.RetiredPins ?? []).Where(r => r.Pin != newPin).ToList();
        retired.AddRange(entry.Pins.Where(p => p != newPin && retired.All(r => r.Pin != p)).Select(p => new RetiredPin(p, end)));
        return entry with { Pins = [newPin], RetiredPins = retired };
    }
}
