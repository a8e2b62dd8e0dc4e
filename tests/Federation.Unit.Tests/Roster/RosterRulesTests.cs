using System.Security.Cryptography.X509Certificates;
using Federation.Protocol;
using Federation.Protocol.Roster;

namespace Federation.Unit.Tests.Roster;

/// <summary>The rules by which a member applies a signed roster version: chain, quorum, signatures, pin validity.</summary>
public sealed class RosterRulesTests : IDisposable
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, X509Certificate2> _keys = new(StringComparer.Ordinal)
    {
        ["FR"] = NationCertificates.Create("FR"),
        ["DE"] = NationCertificates.Create("DE"),
        ["SE"] = NationCertificates.Create("SE"),
        ["NL"] = NationCertificates.Create("NL"),
    };

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }

    private RosterEntry Entry(string code) =>
        new(code, $"Nation {code}", $"https://{code.ToLowerInvariant()}.example:7443", ["1"], [SpkiPin.Compute(_keys[code])]);

    private SignedRoster Bootstrap() => SignedRoster.Bootstrap(new RosterDocument([Entry("FR"), Entry("DE"), Entry("SE")]));

    private SignedRoster Join(SignedRoster current) => RosterRules.Propose(current, [.. current.Nations, Entry("NL")]);

    private SignedRoster SignedBy(SignedRoster version, params string[] nations) =>
        version with { Signatures = [.. version.Signatures, .. nations.Select(n => RosterSigning.Sign(version with { Signatures = [] }, n, _keys[n]))] };

    [Fact]
    public void Check_MajorityOfCurrentMembersSigned_Accepted()
    {
        var current = Bootstrap();
        var verdict = RosterRules.Check(current, SignedBy(Join(current), "FR", "DE"), s_now);

        Assert.True(verdict.Accepted, verdict.Reason);
        Assert.Equal(["FR", "DE"], verdict.Signers);
        Assert.Equal(2, current.RequiredSignatures);
    }

    [Fact]
    public void Check_FewerThanQuorum_RefusedNamingCountAndQuorum()
    {
        var current = Bootstrap();
        var verdict = RosterRules.Check(current, SignedBy(Join(current), "FR"), s_now);

        Assert.False(verdict.Accepted);
        Assert.Contains("1 valid signature(s)", verdict.Reason, StringComparison.Ordinal);
        Assert.Contains("the quorum is 2", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_JoinerSignsItself_NotCounted()
    {
        var current = Bootstrap();
        var verdict = RosterRules.Check(current, SignedBy(Join(current), "FR", "NL"), s_now);

        Assert.False(verdict.Accepted);
        Assert.Contains("NL is not a member of version 1", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SameNationTwice_CountedOnce()
    {
        var current = Bootstrap();
        var verdict = RosterRules.Check(current, SignedBy(Join(current), "FR", "FR"), s_now);

        Assert.False(verdict.Accepted);
        Assert.Contains("FR signed twice", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SignedByAnotherNationsKey_NotCounted()
    {
        var current = Bootstrap();
        var proposal = Join(current);
        var forged = RosterSigning.Sign(proposal, "DE", _keys["NL"]);
        var verdict = RosterRules.Check(current, SignedBy(proposal, "FR") with { Signatures = [.. SignedBy(proposal, "FR").Signatures, forged] }, s_now);

        Assert.False(verdict.Accepted);
        Assert.Contains("DE's pin", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AlteredAfterSigning_SignaturesDoNotMatch()
    {
        var current = Bootstrap();
        var signed = SignedBy(Join(current), "FR", "DE");
        var altered = signed with { Nations = [.. signed.Nations.Take(3), Entry("NL") with { Name = "Someone else" }] };

        var verdict = RosterRules.Check(current, altered, s_now);

        Assert.False(verdict.Accepted);
        Assert.Contains("does not match this version", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SkipsAVersion_Refused()
    {
        var current = Bootstrap();
        var proposal = Join(current) with { Version = 3 };

        var verdict = RosterRules.Check(current, SignedBy(proposal, "FR", "DE", "SE"), s_now);

        Assert.False(verdict.Accepted);
        Assert.Contains("does not follow version 1", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OldVersionReplayed_Refused()
    {
        var v1 = Bootstrap();
        var v2 = SignedBy(Join(v1), "FR", "DE");
        var v3 = SignedBy(RosterRules.Propose(v2, [.. v2.Nations.Where(n => n.Code != "SE")]), "FR", "DE", "NL");
        Assert.True(RosterRules.Check(v2, v3, s_now).Accepted);

        var verdict = RosterRules.Check(v3, v2, s_now);

        Assert.False(verdict.Accepted);
        Assert.Contains("not newer than version 3", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_PreviousDigestOfAnotherChain_Refused()
    {
        var current = Bootstrap();
        var other = SignedRoster.Bootstrap(new RosterDocument([Entry("FR"), Entry("DE")]));
        var proposal = RosterRules.Propose(other, [.. current.Nations, Entry("NL")]);

        var verdict = RosterRules.Check(current, SignedBy(proposal, "FR", "DE", "SE"), s_now);

        Assert.False(verdict.Accepted);
        Assert.Contains("previous is", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_StatedQuorum_AppliesToTheNextVersion()
    {
        var v1 = Bootstrap();
        var v2 = SignedBy(RosterRules.Propose(v1, [.. v1.Nations, Entry("NL")], quorum: 3), "FR", "DE");
        Assert.True(RosterRules.Check(v1, v2, s_now).Accepted);
        var v3 = RosterRules.Propose(v2, [.. v2.Nations.Where(n => n.Code != "NL")]);

        Assert.False(RosterRules.Check(v2, SignedBy(v3, "FR", "DE"), s_now).Accepted);
        Assert.True(RosterRules.Check(v2, SignedBy(v3, "FR", "DE", "NL"), s_now).Accepted);
    }

    [Fact]
    public void Check_QuorumAboveMembers_Refused()
    {
        var current = Bootstrap();
        var verdict = RosterRules.Check(current, SignedBy(RosterRules.Propose(current, current.Nations, quorum: 4), "FR", "DE"), s_now);

        Assert.False(verdict.Accepted);
        Assert.Contains("quorum must be between 1 and the 3 nations", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_InvalidRoster_RefusedNamingTheProblem()
    {
        var current = Bootstrap();
        var proposal = RosterRules.Propose(current, [.. current.Nations, Entry("NL") with { FederationEndpoint = "http://nl.example" }]);

        var verdict = RosterRules.Check(current, SignedBy(proposal, "FR", "DE", "SE"), s_now);

        Assert.False(verdict.Accepted);
        Assert.Contains("federationEndpoint must be an absolute https URL", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptsPinAt_RetiredPin_ValidUntilItsEndOnly()
    {
        var oldPin = SpkiPin.Compute(_keys["FR"]);
        var newPin = SpkiPin.Compute(_keys["NL"]);
        var rotated = RosterRules.RotateKey(Entry("FR"), newPin, s_now, TimeSpan.FromDays(7));

        Assert.Equal([newPin], rotated.Pins);
        Assert.True(rotated.AcceptsPinAt(newPin, s_now.AddYears(1)));
        Assert.True(rotated.AcceptsPinAt(oldPin, s_now.AddDays(7).AddSeconds(-1)));
        Assert.False(rotated.AcceptsPinAt(oldPin, s_now.AddDays(7)));
        Assert.False(rotated.AcceptsPinAt(SpkiPin.Compute(_keys["DE"]), s_now));
    }

    [Fact]
    public void Check_SignatureByRetiredKey_CountsDuringGraceOnly()
    {
        var v1 = Bootstrap();
        var freshKey = NationCertificates.Create("FR");
        try
        {
            var rotatedFr = RosterRules.RotateKey(Entry("FR"), SpkiPin.Compute(freshKey), s_now, TimeSpan.FromDays(7));
            var v2 = SignedBy(RosterRules.Propose(v1, [rotatedFr, Entry("DE"), Entry("SE")]), "FR", "DE");
            Assert.True(RosterRules.Check(v1, v2, s_now).Accepted);

            // FR signs the next version with its old key: fine within the grace period, refused after it.
            var v3 = SignedBy(Join(v2), "FR", "DE");
            Assert.True(RosterRules.Check(v2, v3, s_now.AddDays(6)).Accepted);
            var late = RosterRules.Check(v2, v3, s_now.AddDays(8));
            Assert.False(late.Accepted);
            Assert.Contains("FR's pin", late.Reason, StringComparison.Ordinal);
        }
        finally
        {
            freshKey.Dispose();
        }
    }

    [Fact]
    public void Validate_PinRetiredByOneNationActiveAtAnother_Refused()
    {
        var fr = RosterRules.RotateKey(Entry("FR"), SpkiPin.Compute(_keys["NL"]), s_now, TimeSpan.FromDays(1));
        var de = Entry("DE") with { Pins = [fr.RetiredPins![0].Pin] };

        var problems = new RosterDocument([fr, de]).Validate();

        Assert.Contains(problems, p => p.Contains("belongs to both FR and DE", StringComparison.Ordinal));
    }

    [Fact]
    public void CanonicalBytes_OrderOfNationsAndSignatures_DoNotChangeTheDigest()
    {
        var v2 = Join(Bootstrap());
        var reordered = v2 with { Nations = [.. v2.Nations.Reverse()] };

        Assert.Equal(RosterSigning.Digest(v2), RosterSigning.Digest(reordered));
        Assert.Equal(RosterSigning.Digest(v2), RosterSigning.Digest(SignedBy(v2, "FR")));
        Assert.NotEqual(RosterSigning.Digest(v2), RosterSigning.Digest(v2 with { Quorum = 3 }));
    }

    [Fact]
    public void Parse_RoundTrip_SameDigestAndSignaturesStillVerify()
    {
        var v1 = Bootstrap();
        var v2 = SignedBy(RosterRules.Propose(v1, [RosterRules.RotateKey(Entry("FR"), SpkiPin.Compute(_keys["NL"]), s_now, TimeSpan.FromDays(3)), Entry("DE"), Entry("SE")]), "FR", "DE");

        var parsed = SignedRoster.Parse(v2.ToJson());

        Assert.Equal(RosterSigning.Digest(v2), RosterSigning.Digest(parsed));
        Assert.True(RosterRules.Check(v1, parsed, s_now).Accepted);
    }

    [Theory]
    [InlineData("retiredPins", "[null]")]
    [InlineData("pins", "[null]")]
    [InlineData("protocolVersions", "[\"1\", null]")]
    public void Parse_NullInANationsList_RefusedNamingIt(string list, string value)
    {
        // Found by the fuzz test (seed 7976232933098396161): a null retired pin reached the roster's digest and answered 500.
        var roster = System.Text.Json.Nodes.JsonNode.Parse(Bootstrap().ToJson())!;
        roster["nations"]![0]![list] = System.Text.Json.Nodes.JsonNode.Parse(value);

        var error = Assert.Throws<FormatException>(() => SignedRoster.Parse(roster.ToJsonString()));

        Assert.Contains("may not hold null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NullSignature_RefusedNamingIt()
    {
        var json = Bootstrap().ToJson().Replace("\"signatures\": []", "\"signatures\": [null]", StringComparison.Ordinal);

        var error = Assert.Throws<FormatException>(() => SignedRoster.Parse(json));

        Assert.Contains("may not hold null", error.Message, StringComparison.Ordinal);
    }
}
