using System.Collections.Concurrent;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Protocol.Terms;
using Federation.Silo.Peering;

namespace Federation.Silo.Trust;

/// <summary>
/// Signs this nation's own datasets' terms with its federation key, once per catalogue version:
/// the signature goes out with the public catalogue entry and with the offers this nation makes.
/// </summary>
public sealed class TermsSigner(NationIdentity identity)
{
    private readonly ConcurrentDictionary<(DatasetRef Dataset, int Version), SignedDatasetTerms> _signed = new();

    /// <summary>The statement of <paramref name="record"/>'s terms as its home makes it.</summary>
    public static DatasetTermsStatement Statement(DatasetRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new DatasetTermsStatement(new DatasetRef(record.Spec.HomeNation, record.Spec.Id), record.Version, record.Spec.Residency, record.Spec.DataUse) { Exports = record.Spec.Exports };
    }

    /// <summary>The signed terms of <paramref name="record"/>; null when this nation has no federation key (peering off).</summary>
    public SignedDatasetTerms? Sign(DatasetRecord record)
    {
        if (identity.Certificate is not { } certificate)
        {
            return null;
        }

        var statement = Statement(record);
        return _signed.GetOrAdd((statement.Dataset, statement.Version), _ => DatasetTermsSignature.Sign(statement, certificate));
    }
}
