-- 0004: read-model writes that the database refuses for good (issue 13).
--
-- A record that PostgreSQL can never store in the read model (jsonb refuses \u0000, a value breaks
-- a check, ...) is written here once with the reason, instead of being retried by a timer for
-- ever; the grain state keeps the truth. `document` is the record's JSON as text, where escapes
-- such as \u0000 are plain characters. One row per record version: a later version that stores
-- fine leaves the row as history of what was refused.

CREATE TABLE read_model_dead_letter
(
    kind      text COLLATE "C" NOT NULL,              -- dataset, node, model
    key       text COLLATE "C" NOT NULL,              -- the read model's key of the record
    version   integer          NOT NULL,
    sql_state text             NOT NULL,
    reason    text             NOT NULL,
    document  text             NOT NULL,
    failed_at timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, key, version)
);
