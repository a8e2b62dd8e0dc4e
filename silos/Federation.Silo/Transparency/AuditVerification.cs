namespace Federation.Silo.Transparency;

/// <summary>The nation's own check of its log against its signed heads (auditors should run <c>fedctl audit verify</c>, which checks on their side).</summary>
/// <param name="Sound">True when every entry is in place and every signed head matches.</param>
/// <param name="Entries">Entries checked.</param>
/// <param name="Heads">Signed heads checked.</param>
/// <param name="FirstBadEntry">The first wrong entry, if one is.</param>
/// <param name="Problem">What is wrong, if anything.</param>
/// <param name="SignerPin">The pin the heads were checked against.</param>
public sealed record AuditVerification(bool Sound, long Entries, int Heads, long? FirstBadEntry, string? Problem, string SignerPin);
