using System.Security.Cryptography.X509Certificates;
using Federation.Protocol;
using Federation.Transparency;

namespace Federation.Unit.Tests.Transparency;

/// <summary>Tree heads signed with a nation's federation key and verified against its roster pins.</summary>
public sealed class TreeHeadSignatureTests : IDisposable
{
    private readonly X509Certificate2 _fr = NationCertificates.Create("FR");
    private readonly X509Certificate2 _de = NationCertificates.Create("DE");

    private static TreeHead Head(long size = 8) =>
        new("FR", size, MerkleHash.Leaf([1, 2, 3]), new DateTimeOffset(2026, 12, 5, 3, 38, 5, 123, TimeSpan.Zero));

    public void Dispose()
    {
        _fr.Dispose();
        _de.Dispose();
    }

    [Fact]
    public void CanonicalBytes_Head_TagNationBigEndianSizeTimeRoot()
    {
        var bytes = TreeHeadSignature.CanonicalBytes(Head(0x0102));
        var tag = "federation.tree-head.v1"u8.ToArray();
        Assert.Equal(tag, bytes[..tag.Length]);
        var at = tag.Length;
        Assert.Equal([0, 2, (byte)'F', (byte)'R', 0, 0, 0, 0, 0, 0, 1, 2], bytes[at..(at + 12)]);
        Assert.Equal(BitConverter.GetBytes(Head().Time.ToUnixTimeMilliseconds()).Reverse(), bytes[(at + 12)..(at + 20)]);
        Assert.Equal(Head().Root, bytes[(at + 20)..]);
    }

    [Fact]
    public void Verify_SignedByRosterKey_Accepted()
    {
        var signed = TreeHeadSignature.Sign(Head(), _fr);
        Assert.Null(TreeHeadSignature.Verify(signed, [TreeHeadSignature.Pin(_fr)]));
    }

    [Fact]
    public void Verify_AlteredSizeRootTimeOrNation_Refused()
    {
        var signed = TreeHeadSignature.Sign(Head(), _fr);
        string[] pins = [TreeHeadSignature.Pin(_fr)];
        Assert.Contains("does not match", TreeHeadSignature.Verify(signed with { Head = signed.Head with { Size = 9 } }, pins), StringComparison.Ordinal);
        Assert.Contains("does not match", TreeHeadSignature.Verify(signed with { Head = signed.Head with { Root = MerkleHash.Leaf([9]) } }, pins), StringComparison.Ordinal);
        Assert.Contains("does not match", TreeHeadSignature.Verify(signed with { Head = signed.Head with { Time = signed.Head.Time.AddSeconds(1) } }, pins), StringComparison.Ordinal);
        Assert.Contains("does not match", TreeHeadSignature.Verify(signed with { Head = signed.Head with { Nation = "DE" } }, pins), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SignedByAnotherNation_RefusedNamingThePin()
    {
        var signed = TreeHeadSignature.Sign(Head(), _de);
        var reason = TreeHeadSignature.Verify(signed, [TreeHeadSignature.Pin(_fr)]);
        Assert.Contains("not FR's on the roster", reason, StringComparison.Ordinal);
        Assert.Contains(TreeHeadSignature.Pin(_de), reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_MalformedHead_Refused()
    {
        var signed = TreeHeadSignature.Sign(Head(), _fr);
        Assert.Contains("Root", TreeHeadSignature.Verify(signed with { Head = signed.Head with { Root = [1] } }, [TreeHeadSignature.Pin(_fr)]), StringComparison.Ordinal);
        Assert.Contains("base64", TreeHeadSignature.Verify(signed with { Signature = "!!" }, [TreeHeadSignature.Pin(_fr)]), StringComparison.Ordinal);
    }
}
