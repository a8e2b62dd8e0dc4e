-- 0010: the signed tree heads this nation fetched from its peers (issue 16, item 3; docs/transparency.md).
--
-- peer_head keeps every head accepted from a peer: signed by a key the roster pins for it, and
-- consistent with the one accepted before (a consistency proof checked, or the first seen).
-- peer_head_flag keeps the evidence when a peer's head fails: a bad signature, a head smaller than
-- one seen (truncated), or one that does not extend the head kept before (rewritten) — both heads
-- exactly as the peer signed them. The same offending head found on later checks is one row.
-- Both tables are append-only, as the log itself: triggers refuse UPDATE, DELETE and TRUNCATE.

CREATE TABLE peer_head
(
    peer       text COLLATE "C" NOT NULL,
    size       bigint           NOT NULL CHECK (size >= 0),
    time       timestamptz      NOT NULL,
    root       bytea            NOT NULL CHECK (octet_length(root) = 32),
    signer_key text             NOT NULL,
    signature  text             NOT NULL,
    kept_at    timestamptz      NOT NULL,
    PRIMARY KEY (peer, size, time)
);

CREATE TABLE peer_head_flag
(
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    peer              text COLLATE "C" NOT NULL,
    status            text COLLATE "C" NOT NULL CHECK (status IN ('bad-signature', 'truncated', 'inconsistent')),
    reason            text             NOT NULL,
    flagged_at        timestamptz      NOT NULL,
    kept_size         bigint,
    kept_time         timestamptz,
    kept_root         bytea,
    kept_signer_key   text,
    kept_signature    text,
    offending_nation  text             NOT NULL,
    offending_size    bigint           NOT NULL,
    offending_time    timestamptz      NOT NULL,
    offending_root    bytea            NOT NULL,
    offending_signer_key text          NOT NULL,
    offending_signature  text          NOT NULL,
    UNIQUE (peer, offending_size, offending_time, offending_root, offending_signature)
);

CREATE TRIGGER peer_head_append_only BEFORE UPDATE OR DELETE ON peer_head
    FOR EACH ROW EXECUTE FUNCTION transparency_refuse_change();
CREATE TRIGGER peer_head_no_truncate BEFORE TRUNCATE ON peer_head
    FOR EACH STATEMENT EXECUTE FUNCTION transparency_refuse_change();
CREATE TRIGGER peer_head_flag_append_only BEFORE UPDATE OR DELETE ON peer_head_flag
    FOR EACH ROW EXECUTE FUNCTION transparency_refuse_change();
CREATE TRIGGER peer_head_flag_no_truncate BEFORE TRUNCATE ON peer_head_flag
    FOR EACH STATEMENT EXECUTE FUNCTION transparency_refuse_change();
