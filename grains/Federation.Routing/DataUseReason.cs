namespace Federation.Routing;

/// <summary>Why a purpose does not meet one DUO term of a dataset's conditions.</summary>
/// <param name="Code">The DUO short code, e.g. <c>HMB</c>.</param>
/// <param name="DuoId">The DUO id, e.g. <c>DUO:0000006</c>.</param>
/// <param name="Text">The sentence for people; it starts with the code and the id.</param>
public sealed record DataUseReason(string Code, string DuoId, string Text)
{
    /// <inheritdoc />
    public override string ToString() => Text;
}
