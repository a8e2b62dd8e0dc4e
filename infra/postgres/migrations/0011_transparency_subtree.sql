-- 0011: hashes of the perfect subtrees of the transparency log, so that a proof reads O(log n) rows
-- (issue 16; docs/transparency.md, "Proof cost").
--
-- A row (level, idx) is the Merkle Tree Hash of the 2^level entries from idx * 2^level on (level 1
-- and above; level 0 is transparency_entry.leaf_hash). Such a subtree belongs to the tree of every
-- size that contains it, so its hash never changes. The head publisher writes the subtrees that new
-- entries complete, derived from their stored leaf hashes, before it signs a head; a proof that finds
-- one missing derives it from its children and writes it. The rows are a cache of what the entries
-- already determine: proofs built from them are checked against the signed head of their size, and a
-- wrong row makes the nation fall back to hashing every leaf, never serve a wrong proof that a
-- signed head contradicts. Append-only like the log: a row written twice keeps its first hash,
-- triggers refuse UPDATE, DELETE and TRUNCATE.

CREATE TABLE transparency_subtree
(
    level smallint NOT NULL CHECK (level BETWEEN 1 AND 62),
    idx   bigint   NOT NULL CHECK (idx >= 0),
    hash  bytea    NOT NULL CHECK (octet_length(hash) = 32),
    PRIMARY KEY (level, idx)
);

CREATE TRIGGER transparency_subtree_append_only BEFORE UPDATE OR DELETE ON transparency_subtree
    FOR EACH ROW EXECUTE FUNCTION transparency_refuse_change();
CREATE TRIGGER transparency_subtree_no_truncate BEFORE TRUNCATE ON transparency_subtree
    FOR EACH STATEMENT EXECUTE FUNCTION transparency_refuse_change();
