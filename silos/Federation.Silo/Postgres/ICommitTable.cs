using Npgsql;

namespace Federation.Silo.Postgres;

/// <summary>
/// One kind of statement that the silo's <see cref="CommitPipeline"/> writes (grain-state rows, a
/// read model's upserts, lease entries, and later the transparency log's leaves): it turns the items
/// of one transaction into batch commands and answers one result per item.
/// </summary>
/// <remarks>
/// A transaction writes its tables in <see cref="Order"/>, and each table writes its own items in
/// its key order, so that two transactions (of two flushers or two silos) take row locks in one
/// order. Tables whose commands answer rows must come before every table whose commands answer
/// none: the pipeline reads the answers in command order, and PostgreSQL sends none for the others.
/// </remarks>
public interface ICommitTable
{
    /// <summary>Name of the table's statements in statistics and logs (e.g. <c>grain state jobs</c>).</summary>
    string Name { get; }

    /// <summary>Position in a transaction: lower first (see the remarks on lock order and answers).</summary>
    int Order { get; }

    /// <summary>
    /// Adds to <paramref name="batch"/> the commands that write <paramref name="items"/> (all of this
    /// table, in the order they were queued); returns what reads their answers, one per item in the
    /// same order, from the batch's reader positioned at this table's first answer.
    /// </summary>
    Func<NpgsqlDataReader, Task<IReadOnlyList<object?>>> AddCommands(NpgsqlBatch batch, IReadOnlyList<object> items);

    /// <summary>
    /// <paramref name="item"/>, written alone, was refused by the server (<paramref name="refusal"/>):
    /// the answer to give its caller (e.g. after dead-lettering a record that can never be stored),
    /// or an exception that fails the caller's write.
    /// </summary>
    Task<object?> RefusedAsync(object item, PostgresException refusal);
}
