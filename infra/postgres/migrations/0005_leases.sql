-- 0005: the lease index (Federation.Grains.Jobs.Leases.ILeaseIndex; issue 15, item 3).
--
-- One row per job (kind 'job', key the global id ORIGIN/id) or execution (kind 'execution', key
-- the grain key exec-ORIGIN/id/epoch) that must be woken if its activation is lost: it holds or
-- watches a lease, owes messages, or waits for the end of its retention. `due` is when the
-- nation's lease sweeper (one grain, one reminder row for the whole nation) wakes it next; a
-- sweep claims the due rows and moves them one recheck ahead in one UPDATE, and the woken grain
-- removes its row when nothing is owed. Rows are written in group-committed batches, so a job
-- costs no reminder row and no transaction of its own.

CREATE TABLE lease
(
    kind text COLLATE "C" NOT NULL CHECK (kind IN ('job', 'execution')),
    key  text COLLATE "C" NOT NULL,
    due  timestamptz      NOT NULL,
    PRIMARY KEY (kind, key)
);

-- The sweep's claim reads the earliest due rows.
CREATE INDEX lease_due ON lease (due);
