-- 0006: the nation's transparency log (issue 16, item 3; docs/transparency.md).
--
-- transparency_entry is append-only: one row per decision or access, `idx` its position from 0
-- without gaps, `entry` the exact canonical bytes that were hashed (UTF-8 JSON, see
-- Federation.Transparency.TransparencyEntryEncoding; never re-serialised), `leaf_hash`
-- SHA-256(0x00 || entry). kind, time, job, dataset and peer repeat fields of the entry for
-- filtering only; the bytes are the truth. Rows are appended in group-committed batches under a
-- transaction-level advisory lock, so positions stay contiguous across the nation's silos.
-- transparency_head keeps every signed tree head the nation published (size, root, time and the
-- ECDSA P-256 signature by its federation key). Triggers refuse UPDATE, DELETE and TRUNCATE on both
-- tables; an owner who disables them is still caught by `fedctl audit verify` against the heads.

CREATE TABLE transparency_entry
(
    idx       bigint           NOT NULL PRIMARY KEY CHECK (idx >= 0),
    kind      text COLLATE "C" NOT NULL,
    time      timestamptz      NOT NULL,
    job       text COLLATE "C",
    dataset   text COLLATE "C",
    peer      text COLLATE "C",
    entry     bytea            NOT NULL,
    leaf_hash bytea            NOT NULL CHECK (octet_length(leaf_hash) = 32)
);

CREATE INDEX transparency_entry_job ON transparency_entry (job, idx) WHERE job IS NOT NULL;
CREATE INDEX transparency_entry_dataset ON transparency_entry (dataset, idx) WHERE dataset IS NOT NULL;
CREATE INDEX transparency_entry_peer ON transparency_entry (peer, idx) WHERE peer IS NOT NULL;
CREATE INDEX transparency_entry_time ON transparency_entry (time);

CREATE TABLE transparency_head
(
    size       bigint           NOT NULL CHECK (size >= 0),
    time       timestamptz      NOT NULL,
    nation     text COLLATE "C" NOT NULL,
    root       bytea            NOT NULL CHECK (octet_length(root) = 32),
    signer_key text             NOT NULL,
    signature  text             NOT NULL,
    PRIMARY KEY (size, time)
);

-- For people reading the log with SQL: the entries as JSON.
CREATE VIEW transparency_entry_json AS
SELECT idx, convert_from(entry, 'UTF8')::jsonb AS entry, encode(leaf_hash, 'hex') AS leaf_hash
FROM transparency_entry;

CREATE FUNCTION transparency_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the transparency log is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER transparency_entry_append_only BEFORE UPDATE OR DELETE ON transparency_entry
    FOR EACH ROW EXECUTE FUNCTION transparency_refuse_change();
CREATE TRIGGER transparency_entry_no_truncate BEFORE TRUNCATE ON transparency_entry
    FOR EACH STATEMENT EXECUTE FUNCTION transparency_refuse_change();
CREATE TRIGGER transparency_head_append_only BEFORE UPDATE OR DELETE ON transparency_head
    FOR EACH ROW EXECUTE FUNCTION transparency_refuse_change();
CREATE TRIGGER transparency_head_no_truncate BEFORE TRUNCATE ON transparency_head
    FOR EACH STATEMENT EXECUTE FUNCTION transparency_refuse_change();
