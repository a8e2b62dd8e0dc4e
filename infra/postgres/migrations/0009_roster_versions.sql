-- 0009: the governed roster (issue 16, item 5).
--
-- roster_version: the signed roster versions this nation applied, version 2 onwards (version 1 is
-- the roster file). Each row is the version as received (nations, quorum, previous digest and the
-- members' signatures) and when it was applied; on start the silo checks the chain again from the
-- roster file, in order, each version against the one before at its applied_at.
-- Rows are only inserted: a version is never changed or removed once applied.

CREATE TABLE roster_version
(
    version    bigint      NOT NULL PRIMARY KEY CHECK (version >= 2),
    digest     text        NOT NULL UNIQUE,
    document   jsonb       NOT NULL,
    applied_at timestamptz NOT NULL
);
