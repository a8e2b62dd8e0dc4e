-- 0013: the usage ledger of fair share (issue 18; docs/fair-share.md).
--
-- usage_charge keeps every run this nation admitted and charged: one row per job and epoch, so a
-- charge delivered twice counts once (INSERT ... ON CONFLICT DO NOTHING). Usage is not stored decayed:
-- the silo decays the charges with the pure code when it reads them, so a restart keeps usage.
-- usage_report keeps every usage report accepted from a peer, exactly as the peer signed it (the
-- signature is the evidence), one row per reporting nation and sequence.

CREATE TABLE usage_charge
(
    charge_key   text COLLATE "C" PRIMARY KEY,
    origin       text COLLATE "C" NOT NULL,
    consortium   text COLLATE "C" NOT NULL,
    tier         text COLLATE "C" NOT NULL,
    hours        double precision NOT NULL CHECK (hours >= 0 AND hours < 'Infinity'),
    accelerators integer          NOT NULL CHECK (accelerators >= 0),
    user_name    text             NOT NULL,
    course       text,
    borrowed     boolean          NOT NULL,
    charged_at   timestamptz      NOT NULL,
    ends_by      timestamptz      NOT NULL
);

CREATE INDEX usage_charge_ends_by ON usage_charge (ends_by);

CREATE TABLE usage_report
(
    nation      text COLLATE "C" NOT NULL,
    sequence    bigint           NOT NULL,
    period_from timestamptz      NOT NULL,
    period_to   timestamptz      NOT NULL CHECK (period_to > period_from),
    lines       jsonb            NOT NULL,
    signer_key  text             NOT NULL,
    signature   text             NOT NULL,
    received_at timestamptz      NOT NULL,
    PRIMARY KEY (nation, sequence)
);
